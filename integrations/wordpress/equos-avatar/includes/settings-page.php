<?php
/**
 * Settings → Equos Avatar: the token server, the preset, and the floating bubble, through the
 * Settings API (options.php checks the nonce and `manage_options`; the sanitize callback
 * refuses a bad value with a settings error and keeps the one stored before).
 *
 * @package EquosAvatar
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The page's slug (options-general.php?page=equos-avatar) and its settings group. */
const EQUOS_AVATAR_PAGE = 'equos-avatar';

/** Registers the option, its section and its fields. Hooked to `admin_init`. */
function equos_avatar_register_settings() {
	register_setting(
		EQUOS_AVATAR_PAGE,
		EQUOS_AVATAR_OPTION,
		array(
			'type'              => 'object',
			'sanitize_callback' => 'equos_avatar_sanitize_settings',
			'default'           => equos_avatar_defaults(),
			'show_in_rest'      => false,
		)
	);
	add_settings_section( 'equos_avatar_server', __( 'Token server', 'equos-avatar' ), 'equos_avatar_server_section', EQUOS_AVATAR_PAGE );
	add_settings_section( 'equos_avatar_bubble', __( 'Floating bubble', 'equos-avatar' ), '__return_false', EQUOS_AVATAR_PAGE );

	$fields = array(
		'server'   => array( __( 'Token server URL', 'equos-avatar' ), 'equos_avatar_server' ),
		'preset'   => array( __( 'Preset', 'equos-avatar' ), 'equos_avatar_server' ),
		'name'     => array( __( 'Avatar name', 'equos-avatar' ), 'equos_avatar_server' ),
		'floating' => array( __( 'Show site-wide', 'equos-avatar' ), 'equos_avatar_bubble' ),
		'position' => array( __( 'Position', 'equos-avatar' ), 'equos_avatar_bubble' ),
		'theme'    => array( __( 'Theme', 'equos-avatar' ), 'equos_avatar_bubble' ),
	);
	foreach ( $fields as $key => list( $title, $section ) ) {
		add_settings_field(
			'equos-avatar-' . $key,
			$title,
			'equos_avatar_field',
			EQUOS_AVATAR_PAGE,
			$section,
			array(
				'key'       => $key,
				'label_for' => 'equos-avatar-' . $key,
			)
		);
	}
}

/**
 * Checks each submitted value; a bad one is reported and the stored one kept.
 *
 * @param mixed $input The submitted `equos_avatar_settings[…]` fields.
 * @return array The settings to store.
 */
function equos_avatar_sanitize_settings( $input ) {
	$old   = equos_avatar_settings();
	// options.php has already unslashed it.
	$input = is_array( $input ) ? $input : array();
	$new   = $old;

	$server = trim( (string) ( $input['server'] ?? '' ) );
	if ( '' === $server ) {
		$new['server'] = '';
	} elseif ( null !== equos_avatar_normalize_server( $server ) ) {
		$new['server'] = equos_avatar_normalize_server( $server );
	} else {
		add_settings_error( EQUOS_AVATAR_OPTION, 'invalid-server', __( 'The token server URL must be an http:// or https:// address, like https://avatar.example.com. The previous URL is kept.', 'equos-avatar' ) );
	}

	$preset = strtolower( trim( (string) ( $input['preset'] ?? '' ) ) );
	if ( '' === $preset || equos_avatar_is_preset( $preset ) ) {
		$new['preset'] = $preset;
	} else {
		add_settings_error( EQUOS_AVATAR_OPTION, 'invalid-preset', __( 'A preset is 1 to 64 lower-case letters, digits and hyphens. The previous preset is kept.', 'equos-avatar' ) );
	}

	$new['name']     = equos_avatar_clean_name( $input['name'] ?? '' );
	$new['floating'] = ! empty( $input['floating'] );
	$position        = (string) ( $input['position'] ?? '' );
	$new['position'] = in_array( $position, EQUOS_AVATAR_POSITIONS, true ) ? $position : $old['position'];
	$theme           = (string) ( $input['theme'] ?? '' );
	$new['theme']    = in_array( $theme, EQUOS_AVATAR_THEMES, true ) ? $theme : $old['theme'];
	return $new;
}

/** The token server section's introduction. */
function equos_avatar_server_section() {
	echo '<p>' . esc_html__( 'The address of your Equos avatar token server (it holds your Equos key and serves the widget). Add this site’s address to its ALLOWED_ORIGINS.', 'equos-avatar' ) . '</p>';
}

/**
 * One field of the form.
 *
 * @param array{key: string, label_for: string} $args Which field.
 */
function equos_avatar_field( $args ) {
	$settings = equos_avatar_settings();
	$key      = $args['key'];
	$id       = $args['label_for'];
	$name     = EQUOS_AVATAR_OPTION . '[' . $key . ']';
	switch ( $key ) {
		case 'server':
			printf( '<input type="url" class="regular-text code" id="%s" name="%s" value="%s" placeholder="https://avatar.example.com">', esc_attr( $id ), esc_attr( $name ), esc_attr( $settings['server'] ) );
			break;
		case 'preset':
			printf( '<input type="text" class="regular-text code" id="%s" name="%s" value="%s" pattern="[a-z0-9\-]{1,64}" placeholder="default">', esc_attr( $id ), esc_attr( $name ), esc_attr( $settings['preset'] ) );
			echo '<p class="description">' . esc_html__( 'Which avatar of the token server. Empty: the server’s default.', 'equos-avatar' ) . '</p>';
			break;
		case 'name':
			printf( '<input type="text" class="regular-text" id="%s" name="%s" value="%s" maxlength="80">', esc_attr( $id ), esc_attr( $name ), esc_attr( $settings['name'] ) );
			echo '<p class="description">' . esc_html__( 'The avatar’s name as shown. Empty: the preset’s.', 'equos-avatar' ) . '</p>';
			break;
		case 'floating':
			printf( '<label><input type="checkbox" id="%s" name="%s" value="1"%s> %s</label>', esc_attr( $id ), esc_attr( $name ), checked( $settings['floating'], true, false ), esc_html__( 'Show the floating bubble on every page of the site', 'equos-avatar' ) );
			echo '<p class="description">' . esc_html__( 'Off: the avatar appears only where you place the Equos Avatar block or the [equos_avatar] shortcode.', 'equos-avatar' ) . '</p>';
			break;
		case 'position':
			$choices = array(
				'bottom-right' => __( 'Bottom right', 'equos-avatar' ),
				'bottom-left'  => __( 'Bottom left', 'equos-avatar' ),
			);
			equos_avatar_select( $id, $name, $choices, $settings['position'] );
			break;
		case 'theme':
			$choices = array(
				'auto'  => __( 'The visitor’s (light or dark)', 'equos-avatar' ),
				'light' => __( 'Light', 'equos-avatar' ),
				'dark'  => __( 'Dark', 'equos-avatar' ),
			);
			equos_avatar_select( $id, $name, $choices, $settings['theme'] );
			break;
	}
}

/**
 * A `<select>` of `$choices` (value => label).
 *
 * @param string                $id       The element's id.
 * @param string                $name     The field's name.
 * @param array<string, string> $choices  The options.
 * @param string                $selected The stored value.
 */
function equos_avatar_select( $id, $name, $choices, $selected ) {
	printf( '<select id="%s" name="%s">', esc_attr( $id ), esc_attr( $name ) );
	foreach ( $choices as $value => $label ) {
		printf( '<option value="%s"%s>%s</option>', esc_attr( $value ), selected( $selected, $value, false ), esc_html( $label ) );
	}
	echo '</select>';
}

/** Adds Settings → Equos Avatar. Hooked to `admin_menu`. */
function equos_avatar_add_settings_page() {
	add_options_page( __( 'Equos Avatar', 'equos-avatar' ), __( 'Equos Avatar', 'equos-avatar' ), 'manage_options', EQUOS_AVATAR_PAGE, 'equos_avatar_render_settings_page' );
}

/** The page itself (options-head.php prints the settings errors and "Settings saved."). */
function equos_avatar_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1><form action="options.php" method="post">';
	settings_fields( EQUOS_AVATAR_PAGE );
	do_settings_sections( EQUOS_AVATAR_PAGE );
	submit_button();
	echo '</form></div>';
}

/** Tells the owner that nothing shows until the token server is set. Hooked to `admin_notices`. */
function equos_avatar_missing_server_notice() {
	if ( ! current_user_can( 'manage_options' ) || '' !== equos_avatar_settings()['server'] ) {
		return;
	}
	printf(
		'<div class="notice notice-warning" id="equos-avatar-notice"><p>%s <a href="%s">%s</a></p></div>',
		esc_html__( 'Equos Avatar shows nothing until you set your token server URL.', 'equos-avatar' ),
		esc_url( admin_url( 'options-general.php?page=' . EQUOS_AVATAR_PAGE ) ),
		esc_html__( 'Settings → Equos Avatar', 'equos-avatar' )
	);
}

/**
 * A Settings link next to Deactivate on the Plugins screen.
 *
 * @param string[] $links The plugin's action links.
 * @return string[]
 */
function equos_avatar_settings_link( $links ) {
	array_unshift( $links, sprintf( '<a href="%s">%s</a>', esc_url( admin_url( 'options-general.php?page=' . EQUOS_AVATAR_PAGE ) ), esc_html__( 'Settings', 'equos-avatar' ) ) );
	return $links;
}
