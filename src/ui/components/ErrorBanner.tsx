/**
 * @module
 * The inline error banner of a page: says that refreshing failed and why, while the page below
 * keeps showing the last data it received. Requests that failed for the same reason share one
 * line, so a server that is down reads as one problem, not one per endpoint.
 */
import { ApiError } from '../api/client';

/**
 * Renders nothing when every entry of `errors` is undefined. The banner is an `alert` region, so
 * screen readers announce it when a refresh starts failing.
 *
 * @param props.errors the failure of each request's latest attempt, undefined where it succeeded
 * @example
 * <ErrorBanner errors={[buildInfo.error, flags.error]} />
 */
export function ErrorBanner({ errors }: { errors: readonly (Error | undefined)[] }) {
  const pathsByReason = new Map<string, string[]>();
  for (const error of errors) {
    if (error === undefined) continue;
    const reason = error instanceof ApiError ? error.detail : error.message;
    const paths = pathsByReason.get(reason) ?? [];
    if (error instanceof ApiError) paths.push(error.path);
    pathsByReason.set(reason, paths);
  }
  if (pathsByReason.size === 0) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <strong>Could not refresh from the server.</strong> Showing the last data received; retrying
      automatically.
      <ul>
        {[...pathsByReason].map(([reason, paths]) => (
          <li key={reason}>
            {reason}
            {paths.length > 0 && <span className="error-paths"> — {paths.join(', ')}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
