import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireRole } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { UserRole } from '../platform/roles.js';
import { CatalogService } from './catalog.service.js';
import { CreatePackageInput, UpdatePackageInput } from './catalog.types.js';
import { Package } from './package.entity.js';

const catalog = (ctx: RequestContext) => new CatalogService(ctx.em);

@Resolver(() => Package)
export class CatalogResolver {
  @Query(() => [Package], { description: 'The package catalog in display order. Public.' })
  packages(
    @Arg('includeInactive', () => Boolean, { nullable: true, defaultValue: false, description: 'Include archived packages.' })
    includeInactive: boolean | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Package[]> {
    return catalog(ctx).list({ includeInactive: includeInactive ?? false });
  }

  @Query(() => Package, { nullable: true, description: 'One package by id or by code such as "PKG-DISCOVERY-ASSESSMENT"; NOT_FOUND when unknown.' })
  package(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Package> {
    return catalog(ctx).get(id);
  }

  @Mutation(() => Package, { description: 'Admins only: adds a package to the catalog (active at once). A code already taken, archived packages included, is CONFLICT.' })
  createPackage(@Arg('input', () => CreatePackageInput) input: CreatePackageInput, @Ctx() ctx: RequestContext): Promise<Package> {
    requireRole(ctx, UserRole.ADMIN);
    return catalog(ctx).create(input);
  }

  @Mutation(() => Package, {
    description: 'Admins only: changes a package (by id or code). Applies to grants from now on: a credit lot keeps the amount, minutes, priority and expiry it was granted with.',
  })
  updatePackage(
    @Arg('id', () => ID, { description: 'Id or code.' }) id: string,
    @Arg('input', () => UpdatePackageInput) input: UpdatePackageInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Package> {
    requireRole(ctx, UserRole.ADMIN);
    return catalog(ctx).update(id, input);
  }

  @Mutation(() => Package, {
    description: 'Admins only: archives a package (by id or code): no longer listed or sold; still readable by package(id) and packages(includeInactive: true) for the credit lots granted from it. Idempotent.',
  })
  archivePackage(@Arg('id', () => ID, { description: 'Id or code.' }) id: string, @Ctx() ctx: RequestContext): Promise<Package> {
    requireRole(ctx, UserRole.ADMIN);
    return catalog(ctx).setActive(id, false);
  }

  @Mutation(() => Package, { description: 'Admins only: puts an archived package (by id or code) back in the catalog. Idempotent.' })
  restorePackage(@Arg('id', () => ID, { description: 'Id or code.' }) id: string, @Ctx() ctx: RequestContext): Promise<Package> {
    requireRole(ctx, UserRole.ADMIN);
    return catalog(ctx).setActive(id, true);
  }
}
