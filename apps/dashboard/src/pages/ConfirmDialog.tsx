import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** A modal question before an action that cannot be taken back (releasing a held deletion deletes Applications). */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  confirmLabel: string;
  children: ComponentChildren;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} class="card confirm" aria-label={props.title} onCancel={props.onCancel}>
      <h2>{props.title}</h2>
      {props.children}
      <div class="actions">
        <button type="button" class="ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
