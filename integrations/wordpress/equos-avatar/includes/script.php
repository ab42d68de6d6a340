<?php
/**
 * The widget's script, loaded from the token server. Site-wide, its tag carries the floating
 * bubble's configuration (`data-server`, `data-preset`, …), and the script creates the bubble
 * itself; for a shortcode or a block alone it carries none, so the script only defines
 * `<equos-avatar>` (widget/src/embed.ts creates a floating one only from a tag with
 * `data-server`, and never on a page that already has an `<equos-avatar>`).
 *
 * Only the front end loads it: `wp_enqueue_scripts` does not run in wp-admin or on the login
 * page.
 *
 * @package EquosAvatar
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The script's handle. */
const EQUOS_AVATAR_SCRIPT = 'equos-avatar';

/**
 * Registers the script (when a token server is set) and enqueues it when the bubble is on.
 * Hooked to `wp_enqueue_scripts`.
 */
function equos_avatar_register_script() {
	$settings = equos_avatar_settings();
	if ( '' === $settings['server'] ) {
		return;
	}
	// No version: the token server names and caches its own files.
	wp_register_script( EQUOS_AVATAR_SCRIPT, $settings['server'] . '/equos-avatar.js', array(), null, true );
	if ( $settings['floating'] ) {
		wp_enqueue_script( EQUOS_AVATAR_SCRIPT );
	}
}

/**
 * Makes sure the script is on the page, for an inline widget (called while the shortcode or
 * block renders, before the footer prints its scripts).
 */
function equos_avatar_require_script() {
	if ( wp_script_is( EQUOS_AVATAR_SCRIPT, 'registered' ) ) {
		wp_enqueue_script( EQUOS_AVATAR_SCRIPT );
	}
}

/**
 * The `data-*` attributes of the site-wide bubble's tag, empty when the bubble is off.
 *
 * @return array<string, string>
 */
function equos_avatar_bubble_attributes() {
	$settings = equos_avatar_settings();
	if ( ! $settings['floating'] || '' === $settings['server'] ) {
		return array();
	}
	$attributes = array(
		'data-server'   => $settings['server'],
		'data-preset'   => $settings['preset'],
		'data-name'     => $settings['name'],
		'data-position' => $settings['position'],
		'data-theme'    => $settings['theme'],
	);
	return array_filter( $attributes, 'strlen' );
}

/**
 * Adds `async` and the bubble's `data-*` attributes to the widget's tag. Hooked to
 * `script_loader_tag`.
 *
 * @param string $tag    The `<script>` tag(s) WordPress prints for `$handle`.
 * @param string $handle The script's handle.
 * @return string
 */
function equos_avatar_script_tag( $tag, $handle ) {
	if ( EQUOS_AVATAR_SCRIPT !== $handle ) {
		return $tag;
	}
	$extra = ' async';
	foreach ( equos_avatar_bubble_attributes() as $name => $value ) {
		$extra .= ' ' . $name . '="' . esc_attr( $value ) . '"';
	}
	// The tag with the `src` (an inline script added to the handle would come before it).
	return preg_replace( '/<script(?=[^>]*\ssrc=)/', '<script' . addcslashes( $extra, '\\$' ), $tag, 1 );
}
