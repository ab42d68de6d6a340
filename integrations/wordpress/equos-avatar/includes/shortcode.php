<?php
/**
 * `[equos_avatar preset="…" name="…" inline]`: an inline `<equos-avatar>` in a post or page,
 * talking to the token server from the settings. The block renders through the same function.
 *
 * @package EquosAvatar
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The attributes an author may set, with their defaults (the settings' preset and name).
 * Anything else in the shortcode is dropped; the bare word `inline` is accepted and changes
 * nothing, since a widget placed in the content is always inline.
 *
 * @return array<string, string>
 */
function equos_avatar_inline_defaults() {
	$settings = equos_avatar_settings();
	return array(
		'preset'  => $settings['preset'],
		'name'    => $settings['name'],
		'theme'   => $settings['theme'],
		'locale'  => '',
		'context' => '',
	);
}

/**
 * The HTML of an inline widget, or '' when no token server is set (an HTML comment for
 * editors, so a page does not silently lose its avatar).
 *
 * @param array<string, mixed>|string $attributes The shortcode's (or block's) attributes.
 * @return string
 */
function equos_avatar_render_inline( $attributes ) {
	$settings = equos_avatar_settings();
	if ( '' === $settings['server'] ) {
		return current_user_can( 'manage_options' ) ? '<!-- equos-avatar: set the token server in Settings → Equos Avatar -->' : '';
	}
	// An empty or invalid value means the settings' one, as a missing value does.
	$given    = array_filter( is_array( $attributes ) ? $attributes : array(), 'equos_avatar_is_given' );
	$values   = shortcode_atts( equos_avatar_inline_defaults(), $given, 'equos_avatar' );
	$defaults = equos_avatar_inline_defaults();

	$element = array(
		'server' => $settings['server'],
		'mode'   => 'inline',
	);
	$preset = equos_avatar_is_preset( $values['preset'] ) ? $values['preset'] : $defaults['preset'];
	if ( '' !== $preset ) {
		$element['preset'] = $preset;
	}
	$name = equos_avatar_clean_name( $values['name'] );
	if ( '' !== $name ) {
		$element['name'] = $name;
	}
	$element['theme'] = in_array( $values['theme'], EQUOS_AVATAR_THEMES, true ) ? $values['theme'] : $defaults['theme'];
	if ( equos_avatar_is_locale( $values['locale'] ) ) {
		$element['locale'] = $values['locale'];
	}
	$context = mb_substr( sanitize_textarea_field( (string) $values['context'] ), 0, 2000 );
	if ( '' !== $context ) {
		$element['context'] = $context;
	}

	equos_avatar_require_script();
	$html = '<equos-avatar';
	foreach ( $element as $attribute => $value ) {
		$html .= ' ' . $attribute . '="' . esc_attr( $value ) . '"';
	}
	return $html . '></equos-avatar>';
}

/**
 * Whether an attribute was given a value (the bare word `inline` comes as a numbered one).
 *
 * @param mixed $value An attribute's value.
 * @return bool
 */
function equos_avatar_is_given( $value ) {
	return is_string( $value ) && '' !== trim( $value );
}

/** Registers the shortcode. Hooked to `init`. */
function equos_avatar_register_shortcode() {
	add_shortcode( 'equos_avatar', 'equos_avatar_render_inline' );
}
