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
  for (let day = 1; day <= days; day++) {
    const date = `${view.month}-${String(day).padStart(2, '0')}`;
    const open = view.open.has(date);
    cells.push(
      h(
        'button',
        {
          type: 'button',
          class: 'day',
          'data-date': date,
          disabled: !open,
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
    h('div', { class: 'grid' }, ...cells),
  );
}
