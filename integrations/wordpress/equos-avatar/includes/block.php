<?php
/**
 * The `equos-avatar/inline` block: dynamic, rendered on the server by the shortcode's
 * function, so the block and `[equos_avatar]` print the same element. Its editor script
 * (blocks/inline/editor.js) uses WordPress's globals and needs no build step.
 *
 * @package EquosAvatar
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Registers the block from its block.json. Hooked to `init`. */
function equos_avatar_register_block() {
	register_block_type(
		EQUOS_AVATAR_DIR . '/blocks/inline',
		array( 'render_callback' => 'equos_avatar_render_block' )
	);
}

/**
 * The block's HTML: the inline widget inside the block's wrapper (its class and alignment).
 *
 * @param array<string, mixed> $attributes The block's attributes (preset, name).
 * @return string
 */
function equos_avatar_render_block( $attributes ) {
	$widget = equos_avatar_render_inline(
		array(
			'preset' => isset( $attributes['preset'] ) ? (string) $attributes['preset'] : '',
			'name'   => isset( $attributes['name'] ) ? (string) $attributes['name'] : '',
		)
	);
	if ( '' === $widget || 0 === strpos( $widget, '<!--' ) ) {
		return $widget;
	}
	return '<div ' . get_block_wrapper_attributes() . '>' . $widget . '</div>';
}
