import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Filter, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Organization } from '../identity/organization.entity.js';
import { TENANT_FILTER } from '../platform/tenant.js';

/**
 * The low-credit alert of one organization and balance kind (credit-rules.ts): `armed` until a
 * crossing sends LOW_CREDIT, then disarmed until a grant lifts the balance to the line again.
 * `crossings` counts the alerts sent: the n-th one is the message's occurrence. A movement that
 * crosses takes the row's lock by disarming it (credit-messages.sql.ts), so of concurrent
 * movements of one organization only one sends it. No row: armed, none sent.
 */
@Entity({ tableName: 'low_credit_alert' })
@Filter({ ...TENANT_FILTER })
export class LowCreditAlert {
  [OptionalProps]?: 'armed' | 'crossings' | 'updatedAt';

  @ManyToOne(() => Organization, { primary: true, deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  /** SESSION or TIME. */
  @PrimaryKey({ type: 'string', length: 16 })
  kind!: string;

  @Property({ type: 'boolean' })
  armed = true;

  @Property({ type: 'integer' })
  crossings = 0;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
