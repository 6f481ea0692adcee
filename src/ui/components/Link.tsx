/**
 * @module
 * An in-app link: a real `<a href>` (so it can be opened in a new tab, copied and crawled) whose
 * plain left click moves through the History API instead of reloading the page.
 */
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate } from '../state/location';

/** Props of {@link Link}: an anchor's attributes, with `to` instead of `href`. */
export type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & {
  /** Absolute path within the app, e.g. `/status`. */
  to: string;
};

/**
 * Renders `<a href={to}>` and routes plain clicks client-side.
 *
 * @example
 * <Link to="/status">Status</Link>
 */
export function Link({ to, ...anchorProps }: LinkProps) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    // Modified and non-primary clicks mean "new tab/window/download": leave them to the browser.
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified) return;
    if (anchorProps.target && anchorProps.target !== '_self') return;
    event.preventDefault();
    // The query string is part of where a link goes (`/dashboards` from `/dashboards?uid=a`).
    if (to !== window.location.pathname + window.location.search) navigate(to);
  };
  return <a {...anchorProps} href={to} onClick={onClick} />;
}
