/** The open dates as a month calendar: a grid of day buttons, only the open ones enabled. */
import { h } from './dom.js';
import { longDate, monthName, weekdayNames } from './format.js';

export interface CalendarView {
  /** YYYY-MM shown. */
  month: string;
  open: ReadonlySet<string>;
  selected: string | null;
  /** The months that can be shown (YYYY-MM), first to last. */
  first: string;
  last: string;
  onPick(date: string): void;
  onMonth(month: string): void;
}

export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(year, m - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
}

export function calendar(view: CalendarView): HTMLElement {
  const [year, m] = view.month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  // Monday first: blanks before the 1st.
  const lead = (new Date(Date.UTC(year, m - 1, 1)).getUTCDay() + 6) % 7;
  const cells: HTMLElement[] = weekdayNames().map((name) => h('span', { class: 'weekday', 'aria-hidden': 'true' }, name));
  for (let i = 0; i < lead; i++) cells.push(h('span', { class: 'blank' }));
  // One tab stop for the month (the chosen day, else the first open one); arrows move between open days.
  const dates = Array.from({ length: days }, (_, i) => `${view.month}-${String(i + 1).padStart(2, '0')}`);
  const stop = view.selected && view.open.has(view.selected) && view.selected.startsWith(view.month) ? view.selected : dates.find((d) => view.open.has(d));
  for (let day = 1; day <= days; day++) {
    const date = dates[day - 1]!;
    const open = view.open.has(date);
    cells.push(
      h(
        'button',
        {
          type: 'button',
          class: 'day',
          'data-date': date,
          disabled: !open,
          tabindex: open ? (date === stop ? '0' : '-1') : null,
          'aria-pressed': open ? String(view.selected === date) : null,
          'aria-label': `${longDate(date)}${open ? '' : ', nothing open'}`,
          onclick: () => view.onPick(date),
        },
        String(day),
      ),
    );
  }
  const nav = (delta: number, label: string, symbol: string) => {
    const target = addMonths(view.month, delta);
    const off = delta < 0 ? target < view.first : target > view.last;
    return h('button', { type: 'button', class: 'month-nav', 'aria-label': label, disabled: off, onclick: () => view.onMonth(target) }, symbol);
  };
  return h(
    'section',
    { class: 'calendar', 'aria-labelledby': 'month-heading' },
    h('div', { class: 'month-bar' }, nav(-1, 'Previous month', '‹'), h('h2', { id: 'month-heading', 'aria-live': 'polite' }, monthName(view.month)), nav(1, 'Next month', '›')),
    grid(cells),
  );
}

const STEPS: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

/** The day grid: arrow keys go to the nearest open day that way (a week for up and down), Home/End to the first/last. */
function grid(cells: HTMLElement[]): HTMLElement {
  const element = h('div', { class: 'grid' }, ...cells);
  element.addEventListener('keydown', (event) => {
    const current = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-date]');
    if (!current) return;
    const all = [...element.querySelectorAll<HTMLButtonElement>('button[data-date]')];
    const open = all.filter((b) => !b.disabled);
    let next: HTMLButtonElement | undefined;
    if (event.key === 'Home') next = open[0];
    else if (event.key === 'End') next = open.at(-1);
    else if (STEPS[event.key]) {
      const step = STEPS[event.key]!;
      const index = all.indexOf(current);
      const target = index + step;
      // A week away if open, else the nearest open day beyond it (or before it, for a step back).
      next = all[target] && !all[target].disabled ? all[target] : step > 0 ? open.find((b) => all.indexOf(b) > target) : open.findLast((b) => all.indexOf(b) < target);
    }
    if (!next) return;
    event.preventDefault();
    for (const b of open) b.tabIndex = b === next ? 0 : -1;
    next.focus();
  });
  return element;
}
