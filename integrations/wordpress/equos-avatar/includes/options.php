<?php
/**
 * The plugin's one option (an array), its defaults, and the checks every value passes before
 * it is stored or printed: the settings page, the shortcode and the block all go through them.
 *
 * @package EquosAvatar
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The option's name in wp_options (uninstall.php deletes it). */
const EQUOS_AVATAR_OPTION = 'equos_avatar_settings';

/** The widget's themes (README, "Put the avatar on a website"). */
const EQUOS_AVATAR_THEMES = array( 'auto', 'light', 'dark' );

/** The floating bubble's corners, as the widget's `position` attribute spells them. */
const EQUOS_AVATAR_POSITIONS = array( 'bottom-right', 'bottom-left' );

/**
 * What a fresh site has: no token server yet, so nothing is printed on the front end.
 *
 * @return array{server: string, preset: string, name: string, position: string, theme: string, floating: bool}
 */
function equos_avatar_defaults() {
	return array(
		'server'   => '',
		'preset'   => '',
		'name'     => '',
		'position' => 'bottom-right',
		'theme'    => 'auto',
		'floating' => true,
	);
}

/**
 * The stored settings over the defaults (keys the plugin does not know are dropped).
 *
 * @return array{server: string, preset: string, name: string, position: string, theme: string, floating: bool}
 */
function equos_avatar_settings() {
	$stored = get_option( EQUOS_AVATAR_OPTION, array() );
	$stored   = is_array( $stored ) ? $stored : array();
	$settings = array_merge( equos_avatar_defaults(), array_intersect_key( $stored, equos_avatar_defaults() ) );
	// The settings page only stores checked values, but code can write the option directly
	// (update_option() outside wp-admin skips the sanitize callback): check again what the
	// front end prints.
	$settings['server']   = equos_avatar_normalize_server( $settings['server'] ) ?? '';
	$settings['preset']   = equos_avatar_is_preset( $settings['preset'] ) ? $settings['preset'] : '';
	$settings['name']     = equos_avatar_clean_name( $settings['name'] );
	$settings['position'] = in_array( $settings['position'], EQUOS_AVATAR_POSITIONS, true ) ? $settings['position'] : 'bottom-right';
	$settings['theme']    = in_array( $settings['theme'], EQUOS_AVATAR_THEMES, true ) ? $settings['theme'] : 'auto';
	$settings['floating'] = (bool) $settings['floating'];
	return $settings;
}

/**
 * A token server's address as the widget wants it (`http(s)://host[:port][/path]`, no
 * trailing slash, no query or fragment), or null when `$value` is not one.
 *
 * @param string $value What the owner typed.
 * @return string|null
 */
function equos_avatar_normalize_server( $value ) {
	$value = trim( (string) $value );
	if ( '' === $value || ! filter_var( $value, FILTER_VALIDATE_URL ) ) {
		return null;
	}
	$parts = wp_parse_url( $value );
	if ( ! is_array( $parts ) || empty( $parts['host'] ) || ! in_array( strtolower( $parts['scheme'] ?? '' ), array( 'http', 'https' ), true ) ) {
		return null;
	}
	if ( isset( $parts['user'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
		return null;
	}
	$url = strtolower( $parts['scheme'] ) . '://' . $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' ) . rtrim( $parts['path'] ?? '', '/' );
	// esc_url_raw() is WordPress's own check; a URL it changes is one we should not store.
	return esc_url_raw( $url, array( 'http', 'https' ) ) === $url ? $url : null;
}

/**
 * Whether `$value` is a preset's name as the token server spells them.
 *
 * @param string $value A preset name.
 * @return bool
 */
function equos_avatar_is_preset( $value ) {
	return is_string( $value ) && 1 === preg_match( '/^[a-z0-9-]{1,64}$/', $value );
}

/**
 * A display name: one line of plain text, at most 80 characters.
 *
 * @param string $value What the owner typed.
 * @return string
 */
function equos_avatar_clean_name( $value ) {
	return mb_substr( sanitize_text_field( (string) $value ), 0, 80 );
}

/**
 * Whether `$value` looks like a BCP 47 language tag (`de`, `pt-BR`).
 *
 * @param string $value A language tag.
 * @return bool
 */
function equos_avatar_is_locale( $value ) {
	return is_string( $value ) && 1 === preg_match( '/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/', $value );
}
