import type { ReactNode } from 'react';

// No favicon request (a 404 would be a console error), no fonts: nothing is fetched but the page and the widget.
export const metadata = { title: 'Lumen desk lamp · Equos avatar in Next.js', icons: { icon: 'data:,' } };

/** The root layout: plain HTML, no fonts or assets fetched from elsewhere. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem', maxWidth: '40rem' }}>{children}</body>
    </html>
  );
}
