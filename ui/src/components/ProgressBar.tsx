/** A labelled progress bar; `value` is 0..1. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(value * 100);
  return (
    <div class="progress-block">
      <div class="progress-label">
        <span>{label}</span>
        <span aria-hidden="true">{percent}%</span>
      </div>
      <div class="progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
