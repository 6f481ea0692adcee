/**
 * @module
 * An error shown where it happened: a title and the server's message.
 */
export function Problem({ title, message }: { title: string; message: string }) {
  return (
    <div className="dash-problem" role="alert" data-testid="dashboard-error">
      <strong>{title}</strong>
      <span>{message}</span>
    </div>
  );
}
