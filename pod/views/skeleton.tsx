/** Placeholder blocks while the ticket loads, so the layout does not jump when data arrives. */
export function Skeleton({ ticketId, blocks = 3 }: { ticketId?: number | null; blocks?: number }) {
  return (
    <div class="skeleton" aria-hidden="true" data-testid="skeleton">
      {ticketId !== undefined && ticketId !== null && <div class="skeleton-id">#{ticketId}</div>}
      {Array.from({ length: blocks }, (_, index) => (
        <div key={index} class="skeleton-block" />
      ))}
    </div>
  );
}
