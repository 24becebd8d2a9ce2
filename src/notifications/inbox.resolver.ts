import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { User } from '../identity/user.entity.js';
import { requireCaller } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { connectionComplexity } from '../platform/graphql-limits.js';
import type { Connection } from '../platform/pagination.js';
import { InboxService } from './inbox.service.js';
import { NotificationConnection, NotificationPreferences, NotificationPreferencesInput } from './inbox.types.js';
import { Notification } from './notification.entity.js';
import { preferencesOf, updatePreferences } from './preferences.js';
import { ESSENTIAL_KINDS, type Preferences } from './preferences.rules.js';

const inbox = (ctx: RequestContext) => new InboxService(ctx.em);
const shown = (preferences: Preferences): NotificationPreferences => ({ ...preferences, essentialKinds: [...ESSENTIAL_KINDS] });

/** The caller's in-app notifications and their preferences: self-only, for every kind of account. */
@Resolver()
export class InboxResolver {
  @Query(() => NotificationConnection, { description: 'Your in-app notifications, newest first.', complexity: connectionComplexity })
  notifications(
    @Arg('unreadOnly', () => Boolean, { defaultValue: false }) unreadOnly: boolean,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Notification>> {
    return inbox(ctx).list(requireCaller(ctx).userId, { unreadOnly, first, after });
  }

  @Mutation(() => Notification, { description: 'Marks one of your notifications read (marking it again keeps the first time).' })
  markNotificationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Notification> {
    return inbox(ctx).markRead(requireCaller(ctx).userId, id);
  }

  @Mutation(() => Int, { description: 'Marks all your notifications read; answers how many were unread.' })
  markAllNotificationsRead(@Ctx() ctx: RequestContext): Promise<number> {
    return inbox(ctx).markAllRead(requireCaller(ctx).userId);
  }

  @Mutation(() => NotificationPreferences, { description: 'Turns reminders and other non-essential messages on or off, per channel. Essential messages always go.' })
  async updateNotificationPreferences(
    @Arg('input', () => NotificationPreferencesInput) input: NotificationPreferencesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<NotificationPreferences> {
    return shown(await updatePreferences(ctx.em, requireCaller(ctx).userId, input));
  }
}

/** `me`'s inbox fields; private: only the user themselves sees them. */
@Resolver(() => User)
export class InboxUserFieldsResolver {
  @FieldResolver(() => Int, { description: 'Your unread in-app notifications (0 on anyone else’s record).' })
  unreadNotificationCount(@Root() user: User, @Ctx() ctx: RequestContext): Promise<number> | number {
    if (ctx.caller?.userId !== user.id) return 0;
    return inbox(ctx).unreadCount(user.id);
  }

  @FieldResolver(() => NotificationPreferences, { nullable: true, description: 'Which messages you get (null on anyone else’s record).' })
  async notificationPreferences(@Root() user: User, @Ctx() ctx: RequestContext): Promise<NotificationPreferences | null> {
    if (ctx.caller?.userId !== user.id) return null;
    return shown(await preferencesOf(ctx.em, user.id));
  }
}
