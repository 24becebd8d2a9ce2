import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireRole } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { connectionComplexity } from '../platform/graphql-limits.js';
import { keysetPage, pageSize, type Connection } from '../platform/pagination.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { NotificationDelivery } from './delivery.entity.js';
import { DeliveryStatus } from './notification.enums.js';
import { NotificationDeliveryConnection, type NotificationDeliveryNode } from './notifications.types.js';

@Resolver()
export class NotificationDeliveriesResolver {
  @Query(() => NotificationDeliveryConnection, {
    description: 'Admins: the notification deliveries, latest moment first — e.g. status FAILED for what could not be sent, PENDING for what waits.',
    complexity: connectionComplexity,
  })
  notificationDeliveries(
    @Arg('status', () => DeliveryStatus, { nullable: true }) status: DeliveryStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<NotificationDeliveryNode>> {
    requireRole(ctx, 'ADMIN');
    const where = status ? { status } : {};
    return keysetPage(ctx.em, NotificationDelivery, where, { field: 'dueAt', direction: 'desc' }, pageSize(first), after, ACROSS_TENANTS);
  }
}
