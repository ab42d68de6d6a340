/**
 * The block in the editor: a placeholder naming the avatar (the live widget only runs on the
 * published page; the editor never loads it), and the preset and name in the sidebar. Plain
 * JavaScript over WordPress's globals, so the plugin ships without a build step. The block is
 * dynamic: nothing is saved but its comment, and the server renders it (includes/block.php).
 */
( function ( blocks, element, blockEditor, components, i18n ) {
	var el = element.createElement;
	var __ = i18n.__;
	var PRESET = /^[a-z0-9-]{0,64}$/;

	function Edit( props ) {
		var attributes = props.attributes;
		var setAttributes = props.setAttributes;
		var label = attributes.name || __( 'Equos Avatar', 'equos-avatar' );
		var preset = attributes.preset || __( 'the default preset', 'equos-avatar' );
		return el(
			'div',
			blockEditor.useBlockProps(),
			el(
				blockEditor.InspectorControls,
				null,
				el(
					components.PanelBody,
					{ title: __( 'Avatar', 'equos-avatar' ) },
					el( components.TextControl, {
						label: __( 'Preset', 'equos-avatar' ),
						help: __( 'Which avatar of your token server (lower-case letters, digits and hyphens). Empty: the one in Settings → Equos Avatar.', 'equos-avatar' ),
						value: attributes.preset,
						onChange: function ( value ) {
							var cleaned = value.toLowerCase().trim();
							if ( PRESET.test( cleaned ) ) setAttributes( { preset: cleaned } );
						},
					} ),
					el( components.TextControl, {
						label: __( 'Name', 'equos-avatar' ),
						help: __( 'The avatar’s name as shown. Empty: the preset’s.', 'equos-avatar' ),
						value: attributes.name,
						onChange: function ( value ) {
							setAttributes( { name: value.slice( 0, 80 ) } );
						},
					} )
				)
			),
			el( components.Placeholder, {
				icon: 'format-video',
				label: label,
				instructions: __( 'A live avatar will be here on the published page, with preset:', 'equos-avatar' ) + ' ' + preset,
			} )
		);
	}

	blocks.registerBlockType( 'equos-avatar/inline', {
		edit: Edit,
		save: function () {
			return null;
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n );
