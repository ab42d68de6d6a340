<?php
/**
 * Installs WordPress into an empty database, as install.php's second step would, without the
 * browser: `php install.php <wordpress dir> <admin password>`. The site's address comes from
 * WP_HOME in wp-config.php.
 *
 * @package EquosAvatarTest
 */

define( 'WP_INSTALLING', true );
require $argv[1] . '/wp-load.php';

// Pluggable: the welcome e-mail would go to a sendmail this machine does not have.
function wp_new_blog_notification() {}

require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install( 'Equos Avatar test site', 'admin', 'admin@example.com', false, '', $argv[2] );
echo wp_json_encode( array( 'userId' => $result['user_id'] ) );
