/**
 * The two small forms of the lifecycle: completing a session (outcomes, next steps, action
 * items) and recording a no-show. Each is a modal <dialog> (focus kept inside, Escape closes)
 * whose `submit` sends the mutation; the server's message is shown in the form when it refuses.
 */
import type { CompleteConsultationInput, NoShowParty } from '@serenity/sdk';
import { h } from './dom.js';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Opens a dialog with `fields`; `submit` reads them and resolves (the dialog closes) or throws
 * an Error whose message is shown in the dialog (it stays open to fix the input).
 */
function openDialog(title: string, submitLabel: string, fields: HTMLElement[], submit: (form: HTMLFormElement) => Promise<void>): void {
  const titleId = 'dialog-title';
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h('form', { novalidate: true }, h('h2', { id: titleId }, title), ...fields, error, h('div', { class: 'actions' }, button, cancel));
  const dialog = h('dialog', { 'aria-labelledby': titleId }, form);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    button.disabled = true;
    submit(form).then(
      () => dialog.close(),
      (failure: unknown) => {
        error.textContent = failure instanceof Error ? failure.message : String(failure);
        button.disabled = false;
      },
    );
  });
  document.body.append(dialog);
  dialog.showModal();
}

let ids = 0;
function field(label: string, control: HTMLInputElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  const id = `f-${++ids}`;
  control.id = id;
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control);
}

/** Asks for what the session produced, then runs `complete` with it. */
export function completeForm(sessionLabel: string, complete: (input: CompleteConsultationInput) => Promise<void>): void {
  const summary = h('textarea', { name: 'summary', rows: 3, required: true });
  const keyPoints = h('textarea', { name: 'keyPoints', rows: 3 });
  const nextSteps = h('textarea', { name: 'nextSteps', rows: 2 });
  const items = h('div', { class: 'items' });
  let rows = 0;
  const addItem = () => {
    rows++;
    const suffix = rows === 1 ? '' : ` ${rows}`;
    const row = h(
      'fieldset',
      { class: 'item' },
      h('legend', {}, `Action item${suffix}`),
      field(`Action item${suffix}`, h('input', { name: 'itemTitle', type: 'text' })),
      field(`Assignee${suffix}`, h('input', { name: 'itemAssignee', type: 'text' })),
      field(`Due date${suffix}`, h('input', { name: 'itemDue', type: 'date' })),
    );
    items.append(row);
    return row;
  };
  addItem();
  const more = h('button', { type: 'button' }, 'Add another action item');
  more.addEventListener('click', () => addItem().querySelector('input')?.focus());

  openDialog(`Complete ${sessionLabel}`, 'Complete session', [field('Summary', summary, 'What was covered and decided (the client sees it).'), field('Key points', keyPoints, 'One per line.'), field('Next steps', nextSteps), items, more], async () => {
    if (!summary.value.trim()) {
      summary.focus();
      throw new Error('Write a short summary of the session first.');
    }
    const actionItems: NonNullable<CompleteConsultationInput['actionItems']> = [];
    for (const row of items.querySelectorAll('fieldset')) {
      const [title, assignee, due] = [...row.querySelectorAll('input')].map((i) => i.value.trim()) as [string, string, string];
      if (!title && !assignee) continue;
      if (!title || !assignee) {
        row.querySelector<HTMLInputElement>(title ? '[name=itemAssignee]' : '[name=itemTitle]')?.focus();
        throw new Error(title ? `Name who takes care of “${title}”.` : 'Give each action item a title.');
      }
      actionItems.push({ title, assignee, ...(due ? { dueDate: due } : {}) });
    }
    const points = lines(keyPoints.value);
    await complete({
      outcomes: { summary: summary.value.trim(), ...(points.length ? { keyPoints: points } : {}) },
      ...(nextSteps.value.trim() ? { nextSteps: nextSteps.value.trim() } : {}),
      ...(actionItems.length ? { actionItems } : {}),
    });
  });
}

/** Asks who did not come (and why), then runs `record`. */
export function noShowForm(sessionLabel: string, record: (party: NoShowParty, reason: string | undefined) => Promise<void>): void {
  const client = h('input', { type: 'radio', name: 'party', value: 'CLIENT', id: 'party-client', checked: true });
  const consultant = h('input', { type: 'radio', name: 'party', value: 'CONSULTANT', id: 'party-consultant' });
  const reason = h('textarea', { name: 'reason', rows: 2 });
  const parties = h(
    'fieldset',
    {},
    h('legend', {}, 'Who did not attend?'),
    h('div', { class: 'choice' }, client, h('label', { for: 'party-client' }, 'The client (the credit is used)')),
    h('div', { class: 'choice' }, consultant, h('label', { for: 'party-consultant' }, 'I could not attend (the credit goes back)')),
  );
  openDialog(`No-show for ${sessionLabel}`, 'Record no-show', [parties, field('Reason', reason, 'Optional.')], async () => {
    await record(consultant.checked ? 'CONSULTANT' : 'CLIENT', reason.value.trim() || undefined);
  });
}
