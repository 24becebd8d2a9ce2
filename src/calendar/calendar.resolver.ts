import { Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { User } from '../identity/user.entity.js';
import { requireCaller } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { CalendarFeedService } from './calendar-feed.service.js';

const feeds = (ctx: RequestContext) => new CalendarFeedService(ctx.em, { publicUrl: ctx.services.config.publicUrl, serverSecret: ctx.services.config.jwtSecret });

@Resolver()
export class CalendarResolver {
  @Mutation(() => String, {
    description: 'Replaces the secret of your calendar feed and answers the new URL: the old one answers 404 from now on (subscribe again with the new one). Consultants and client users.',
  })
  rotateCalendarFeed(@Ctx() ctx: RequestContext): Promise<string> {
    const caller = requireCaller(ctx);
    return feeds(ctx).rotate({ id: caller.userId, role: caller.role });
  }
}

/** `me`'s feed field; private: only the user themselves sees it. */
@Resolver(() => User)
export class CalendarUserFieldsResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Your private iCalendar feed of your sessions (30 days back and everything ahead), to subscribe to in Google Calendar or Outlook; made on first ask, keep it secret (rotateCalendarFeed replaces it). Null for admins and on anyone else’s record.',
  })
  calendarFeedUrl(@Root() user: User, @Ctx() ctx: RequestContext): Promise<string | null> | null {
    if (ctx.caller?.userId !== user.id) return null;
    return feeds(ctx).urlFor({ id: user.id, role: ctx.caller.role });
  }
}
