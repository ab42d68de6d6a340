<?php
/**
 * Deleting the plugin deletes its settings (WordPress runs this file, and only then).
 *
 * @package EquosAvatar
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'equos_avatar_settings' );
