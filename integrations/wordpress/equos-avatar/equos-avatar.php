<?php
/**
 * Plugin Name:       Equos Avatar
 * Description:       A live Equos AI avatar on your site: a floating bubble on every page, or inline with a shortcode or a block. Talks to your own Equos avatar token server.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Equos avatar widget contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       equos-avatar
 *
 * The widget itself is MIT-licensed (GPL-compatible); this plugin is distributed under the
 * GPL 2.0 or later, as WordPress plugins are.
 *
 * @package EquosAvatar
 */

// Plugin files do nothing when requested directly.
if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'EQUOS_AVATAR_VERSION', '0.1.0' );
define( 'EQUOS_AVATAR_DIR', __DIR__ );

require_once __DIR__ . '/includes/options.php';
require_once __DIR__ . '/includes/script.php';
require_once __DIR__ . '/includes/shortcode.php';
require_once __DIR__ . '/includes/block.php';

add_action( 'init', 'equos_avatar_register_shortcode' );
add_action( 'init', 'equos_avatar_register_block' );
add_action( 'wp_enqueue_scripts', 'equos_avatar_register_script' );
add_filter( 'script_loader_tag', 'equos_avatar_script_tag', 10, 2 );

if ( is_admin() ) {
	require_once __DIR__ . '/includes/settings-page.php';
	add_action( 'admin_init', 'equos_avatar_register_settings' );
	add_action( 'admin_menu', 'equos_avatar_add_settings_page' );
	add_action( 'admin_notices', 'equos_avatar_missing_server_notice' );
	add_filter( 'plugin_action_links_' . plugin_basename( __FILE__ ), 'equos_avatar_settings_link' );
}
