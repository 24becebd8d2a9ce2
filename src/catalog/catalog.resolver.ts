import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireRole } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { UserRole } from '../platform/roles.js';
import { catalogCacheOf } from './catalog-cache.js';
import { CatalogService } from './catalog.service.js';
import { CreatePackageInput, UpdatePackageInput } from './catalog.types.js';
import { Package } from './package.entity.js';

const catalog = (ctx: RequestContext) => new CatalogService(ctx.em);

/** An admin's change, then this instance's cached catalog dropped (the others drop theirs on the change's NOTIFY). */
async function changing(ctx: RequestContext, change: (service: CatalogService) => Promise<Package>): Promise<Package> {
  requireRole(ctx, UserRole.ADMIN);
  try {
    return await change(catalog(ctx));
  } finally {
    catalogCacheOf(ctx.services.live).invalidate();
  }
}

@Resolver(() => Package)
export class CatalogResolver {
  @Query(() => [Package], { description: 'The package catalog in display order. Public.' })
  packages(
    @Arg('includeInactive', () => Boolean, { nullable: true, defaultValue: false, description: 'Include archived packages.' })
    includeInactive: boolean | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Package[]> {
    return catalogCacheOf(ctx.services.live).list(ctx.em, includeInactive ?? false);
  }

  @Query(() => Package, { nullable: true, description: 'One package by id or by code such as "PKG-DISCOVERY-ASSESSMENT"; NOT_FOUND when unknown.' })
  package(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Package> {
    return catalog(ctx).get(id);
  }

  @Mutation(() => Package, { description: 'Admins only: adds a package to the catalog (active at once). A code already taken, archived packages included, is CONFLICT.' })
  createPackage(@Arg('input', () => CreatePackageInput) input: CreatePackageInput, @Ctx() ctx: RequestContext): Promise<Package> {
    return changing(ctx, (service) => service.create(input));
  }

  @Mutation(() => Package, {
    description: 'Admins only: changes a package (by id or code). Applies to grants from now on: a credit lot keeps the amount, minutes, priority and expiry it was granted with.',
  })
  updatePackage(
    @Arg('id', () => ID, { description: 'Id or code.' }) id: string,
    @Arg('input', () => UpdatePackageInput) input: UpdatePackageInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Package> {
    return changing(ctx, (service) => service.update(id, input));
  }

  @Mutation(() => Package, {
    description: 'Admins only: archives a package (by id or code): no longer listed or sold; still readable by package(id) and packages(includeInactive: true) for the credit lots granted from it. Idempotent.',
  })
  archivePackage(@Arg('id', () => ID, { description: 'Id or code.' }) id: string, @Ctx() ctx: RequestContext): Promise<Package> {
    return changing(ctx, (service) => service.setActive(id, false));
  }

  @Mutation(() => Package, { description: 'Admins only: puts an archived package (by id or code) back in the catalog. Idempotent.' })
  restorePackage(@Arg('id', () => ID, { description: 'Id or code.' }) id: string, @Ctx() ctx: RequestContext): Promise<Package> {
    return changing(ctx, (service) => service.setActive(id, true));
  }
}
