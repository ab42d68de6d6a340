<?php
/**
 * The editor script's dependencies (WordPress's globals) and version, as a build step would
 * write them; WordPress 6.1 needs this file next to a block.json `file:` script.
 *
 * @package EquosAvatar
 */

return array(
	'dependencies' => array( 'wp-block-editor', 'wp-blocks', 'wp-components', 'wp-element', 'wp-i18n' ),
	'version'      => '0.1.0',
);
