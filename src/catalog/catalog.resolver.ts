import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../platform/context.js';
import { CatalogService } from './catalog.service.js';
import { Package } from './package.entity.js';

@Resolver(() => Package)
export class CatalogResolver {
  @Query(() => [Package], { description: 'The package catalog in display order. Public.' })
  packages(
    @Arg('includeInactive', () => Boolean, { nullable: true, defaultValue: false, description: 'Include archived packages.' })
    includeInactive: boolean | null,
    @Ctx() { em }: RequestContext,
  ): Promise<Package[]> {
    return new CatalogService(em).list({ includeInactive: includeInactive ?? false });
  }

  @Query(() => Package, { nullable: true, description: 'One package by id or by code such as "PKG-DISCOVERY-ASSESSMENT"; NOT_FOUND when unknown.' })
  package(@Arg('id', () => ID) id: string, @Ctx() { em }: RequestContext): Promise<Package> {
    return new CatalogService(em).get(id);
  }
}
