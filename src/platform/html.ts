/** Text made safe inside HTML element content and quoted attribute values (the server's own small pages). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
