/**
 * The React example in the browser: defines `<equos-avatar>` (the element upgrades the
 * server's tag at once), then hydrates the server's HTML.
 */
import 'equos-avatar';
import { hydrateRoot } from 'react-dom/client';
import { ProductPage, type ProductPageProps } from './product-page.js';

const props = JSON.parse(document.getElementById('props')!.textContent!) as ProductPageProps;
hydrateRoot(document.getElementById('app')!, <ProductPage {...props} />);
