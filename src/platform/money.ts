import { Embeddable, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';

/** Money as integer minor units plus an ISO-4217 currency; never floats. */
@Embeddable()
@ObjectType({ description: 'An amount of money in minor units (cents) of its currency.' })
export class Money {
  @Field(() => Int, { description: 'Minor units, e.g. 450000 for USD 4,500.00.' })
  @Property({ type: 'integer' })
  amount!: number;

  @Field({ description: 'ISO-4217 currency code, e.g. USD.' })
  @Property({ type: 'string', length: 3 })
  currency!: string;

  constructor(amount: number, currency: string) {
    this.amount = amount;
    this.currency = currency;
  }
}
