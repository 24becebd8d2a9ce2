/** Reading a consultation's meeting through GraphQL, as the meeting e2e tests do. */
import { gqlOk } from './graphql.js';
import type { TestServer } from './server.js';

const MEETING = `query($id: ID!) { consultation(id: $id) { meeting { provider status joinUrl passcode dialIn hostUrl } } }`;

export interface MeetingJson {
  provider: string;
  status: string;
  joinUrl: string | null;
  passcode: string | null;
  dialIn: string | null;
  hostUrl: string | null;
}

/** Consultation.meeting of `id` as the caller with `token` sees it. */
export async function meetingAs(server: TestServer, token: string, id: string): Promise<MeetingJson> {
  return (await gqlOk<{ consultation: { meeting: MeetingJson } }>(server, MEETING, { id }, token)).consultation.meeting;
}
