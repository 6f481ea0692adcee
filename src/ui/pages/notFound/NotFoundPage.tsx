/**
 * @module
 * What an unknown in-app path shows. The server answers every non-API path with the app, so a
 * mistyped or outdated link ends up here rather than at a bare HTTP 404.
 */
import { Link } from '../../components/Link';

/**
 * @param props.path the path that matched no page
 * @example
 * <NotFoundPage path="/nope" />
 */
export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="page-head">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. Go to the <Link to="/status">Status</Link> page.
      </p>
    </div>
  );
}
