import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { requireCaller } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import type { DomainEventHandler } from '../platform/events.js';
import { liveMap, oncePerMessage, publish, renewForEvent } from '../platform/live.js';
import { balancesOf, CreditAccountService } from './credit-account.service.js';
import { CreditSummary } from './credits.types.js';

/** Live balance: each credit movement (any ledger entry) is published on commit; each instance reloads the summary once per message. */
const TOPIC = 'credits.changed';

interface CreditsMessage {
  organizationId: string;
  at: string;
}

export const publishCreditsChange: DomainEventHandler<'credits.changed'> = async (change, em) => {
  const message: CreditsMessage = { organizationId: change.organizationId, at: change.at.toISOString() };
  await publish(em, TOPIC, message);
};

/** The balances after a movement, read once per message on this instance for all its subscribers. */
const balances = oncePerMessage(TOPIC, (m: CreditsMessage, em) => balancesOf(em, m.organizationId));

const account = (ctx: RequestContext) => new CreditAccountService(ctx.em, ctx.services.events);

async function balanceUpdates(ctx: RequestContext, organizationId: string | null) {
  const caller = requireCaller(ctx);
  // The same checks as creditSummary: clients their organization, admins the one they name.
  await account(ctx).summary(caller, organizationId);
  const target = caller.role === 'ADMIN' ? organizationId : caller.organizationId;
  // The organization was checked above (and membership is re-checked on the connection): each
  // message's organization is the subscriber's when it passes the filter.
  // Kept for the subscription's life, without the check's rows: the message's one load forks from it.
  const em = ctx.em;
  em.clear();
  return liveMap(ctx.services.live.subscribe<CreditsMessage>(TOPIC, (m) => m.organizationId === target), async (m) => {
    const summary = await balances(m, em);
    // Its fields' reads (per-request loaders) start from current rows, as for a query.
    renewForEvent(ctx);
    return summary;
  });
}

@Resolver()
export class CreditsLiveResolver {
  @Subscription(() => CreditSummary, {
    description: "The organization's credits after each movement (reserve, release, consume, grant, expiry, refund, adjustment); admins name the organization.",
    subscribe: ({ args, context }) => balanceUpdates(context as RequestContext, (args as { organizationId?: string | null }).organizationId ?? null),
  })
  creditBalanceChanged(@Root() summary: CreditSummary, @Arg('organizationId', () => ID, { nullable: true }) _organizationId: string | null): CreditSummary {
    return summary;
  }
}
