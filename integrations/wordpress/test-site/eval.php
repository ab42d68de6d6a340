<?php
/**
 * Runs PHP code (read from stdin) inside the installed site, as its administrator, and prints
 * what the code returns as JSON: `php eval.php <wordpress dir> < code.php`. The test sets up
 * the site with it (activation, pages) and reads the stored option back.
 *
 * @package EquosAvatarTest
 */

require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
wp_set_current_user( 1 );
// Test pages hold hostile markup on purpose; kses would strip it before the plugin sees it.
kses_remove_filters();

$code = stream_get_contents( STDIN );
$run  = eval( $code ); // phpcs:ignore Squiz.PHP.Eval -- test tool, code written by the test.
echo wp_json_encode( $run instanceof Closure ? $run() : $run );
