import { Field, ObjectType } from 'type-graphql';
import { MeetingProvider } from '../consultations/consultation.enums.js';
import { MeetingStatus } from './meeting.enums.js';

@ObjectType({ description: 'Where the session meets: made after the booking commits (PENDING until then), moved on reschedule, removed on cancellation.' })
export class Meeting {
  @Field(() => MeetingProvider)
  provider!: MeetingProvider;

  @Field(() => MeetingStatus, { description: 'PENDING: being made or moved; READY: the link works; FAILED: the provider kept failing (support is told); DELETED: removed after a cancellation.' })
  status!: MeetingStatus;

  @Field(() => String, { nullable: true, description: 'The link to join (https:, or tel: for PHONE); null until READY.' })
  joinUrl!: string | null;

  @Field(() => String, { nullable: true })
  passcode!: string | null;

  @Field(() => String, { nullable: true, description: 'A number to call in on, as written.' })
  dialIn!: string | null;

  @Field(() => String, { nullable: true, description: 'The host’s own link: only the consultant and admins see it (null for the client side).' })
  hostUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'The recording, once the provider has one (Zoom: its share link, with the passcode in it when the recording has one).' })
  recordingUrl!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the meeting actually began, as the provider reported it (Zoom only, for now); null until then. The earliest start when the host started it more than once.' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the meeting actually ended, as the provider reported it (Zoom only, for now); null until then. The latest end when the host started it more than once.' })
  endedAt!: Date | null;
}
