/**
 * Stands in for `webrtc-adapter` in the widget's build. livekit-client imports it for its
 * side effects, which patch the page's global WebRTC classes; a widget must not change the
 * host page's globals (the page may run its own WebRTC code or its own adapter), and the
 * browsers the widget supports implement the standard APIs it needs.
 */
export {};
