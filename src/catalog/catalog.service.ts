import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { errors } from '../platform/errors.js';
import { publish } from '../platform/live.js';
import { isUuid } from '../platform/ids.js';
import { Money } from '../platform/money.js';
import {
  defaultPriority,
  defaultPurchasable,
  normalizeBlocks,
  normalizeCode,
  packageProblems,
  type FieldProblem,
  type PackageDraft,
} from './catalog.rules.js';
import type { CreatePackageInput, UpdatePackageInput } from './catalog.types.js';
import { CreditLotKind, Package } from './package.entity.js';

/** The fields of UpdatePackageInput that a package must always have (null is not "clear" for them). */
const REQUIRED_ON_UPDATE = [
  'name',
  'description',
  'features',
  'targetAudience',
  'credits',
  'sessionMinutes',
  'allowedBlockMinutes',
  'validityDays',
  'price',
  'displayOrder',
  'priority',
  'lateCancelConsumes',
  'purchasable',
] as const satisfies ReadonlyArray<keyof UpdatePackageInput>;

/** The live bus topic of catalog changes: every API instance drops its cached catalog on it (catalog-cache.ts). */
export const CATALOG_CHANGED = 'catalog.changed';

/** Tells every instance, when `em`'s transaction commits, that the catalog changed (NOTIFY: never sent for a rollback). */
export function publishCatalogChange(em: EntityManager): Promise<void> {
  return publish(em, CATALOG_CHANGED, {});
}

export class CatalogService {
  constructor(private readonly em: EntityManager) {}

  /** The catalog in display order; archived packages only when asked. */
  list(options: { includeInactive?: boolean } = {}): Promise<Package[]> {
    return this.em.find(Package, options.includeInactive ? {} : { active: true }, { orderBy: { displayOrder: 'asc', code: 'asc' } });
  }

  /** One package by id or by code (e.g. "PKG-DISCOVERY-ASSESSMENT"); NOT_FOUND otherwise. */
  get(idOrCode: string): Promise<Package> {
    return findPackage(this.em, idOrCode);
  }

  /** A new package (admins). BAD_USER_INPUT names the field at fault; a taken code is CONFLICT. */
  async create(input: CreatePackageInput): Promise<Package> {
    const draft = draftOf(input);
    throwIfProblems(packageProblems({ ...draft, displayOrder: input.displayOrder ?? 0 }));
    try {
      return await this.em.transactional(async (em) => {
        const existing = await em.findOne(Package, { code: draft.code });
        if (existing) throw codeTaken(existing);
        const displayOrder = input.displayOrder ?? (await nextDisplayOrder(em));
        const { price, ...rest } = draft;
        const created = em.create(Package, { ...rest, displayOrder, price: new Money(price.amount, price.currency) });
        await em.flush();
        await publishCatalogChange(em);
        return created;
      });
    } catch (error) {
      // Two admins creating the same code at once: the unique constraint decides.
      if (error instanceof UniqueConstraintViolationException) {
        throw errors.conflict(`A package with code "${draft.code}" was just created: choose another code.`, { field: 'input.code' });
      }
      throw error;
    }
  }

  /** Changes the fields given (admins); the result must pass every rule a new package does. */
  update(idOrCode: string, input: UpdatePackageInput): Promise<Package> {
    return this.em.transactional(async (em) => {
      const pkg = await findPackage(em, idOrCode, LockMode.PESSIMISTIC_WRITE);
      const cleared: FieldProblem[] = REQUIRED_ON_UPDATE.filter((key) => input[key] === null).map((key) => ({
        field: key,
        message: `${key} cannot be null: leave it out to keep the current value.`,
      }));
      throwIfProblems(cleared);
      const next = mergeDraft(pkg, input);
      throwIfProblems(packageProblems(next));
      const { price, code: _code, type: _type, lotKind: _lotKind, ...changes } = next;
      em.assign(pkg, changes);
      if (pkg.price.amount !== price.amount || pkg.price.currency !== price.currency) pkg.price = new Money(price.amount, price.currency);
      await em.flush();
      await publishCatalogChange(em);
      return pkg;
    });
  }

  /**
   * Archives (active = false) or restores a package. Archived packages are not listed or sold,
   * and stay readable for the credit lots granted from them. Idempotent.
   */
  setActive(idOrCode: string, active: boolean): Promise<Package> {
    return this.em.transactional(async (em) => {
      const pkg = await findPackage(em, idOrCode, LockMode.PESSIMISTIC_WRITE);
      if (pkg.active !== active) {
        pkg.active = active;
        await em.flush();
        await publishCatalogChange(em);
      }
      return pkg;
    });
  }
}

async function findPackage(em: EntityManager, idOrCode: string, lockMode?: LockMode): Promise<Package> {
  const key = idOrCode.trim();
  const found = await em.findOne(Package, isUuid(key) ? { id: key.toLowerCase() } : { code: key.toUpperCase() }, lockMode ? { lockMode } : {});
  if (!found) throw errors.notFound('Package', idOrCode.slice(0, 100));
  return found;
}

async function nextDisplayOrder(em: EntityManager): Promise<number> {
  const [last] = await em.find(Package, {}, { orderBy: { displayOrder: 'desc' }, limit: 1, fields: ['displayOrder'] });
  return (last?.displayOrder ?? 0) + 1;
}

function codeTaken(existing: Package) {
  const hint = existing.active
    ? 'choose another code, or change that package with updatePackage'
    : 'it is archived (codes stay taken so old credit lots keep their meaning): restore it with restorePackage, or choose another code';
  return errors.conflict(`A package with code "${existing.code}" already exists: ${hint}.`, { field: 'input.code' });
}

/** BAD_USER_INPUT for the first problem (`extensions.field` is "input.<field>"), listing them all. */
function throwIfProblems(problems: readonly FieldProblem[]): void {
  const [first] = problems;
  if (!first) return;
  throw errors.badInput(first.message, `input.${first.field}`, {
    problems: problems.map((p) => ({ field: `input.${p.field}`, message: p.message })),
  });
}

const trimAll = (items: readonly string[]): string[] => items.map((item) => item.trim());
const trimOrNull = (value: string | null): string | null => (value === null ? null : value.trim());

/** A new package from its input, defaults applied (displayOrder is filled in by create). */
function draftOf(input: CreatePackageInput): Omit<PackageDraft, 'displayOrder'> {
  const type = input.type;
  const blocks = input.allowedBlockMinutes ?? (input.lotKind === CreditLotKind.SESSION ? [input.sessionMinutes] : []);
  return {
    code: normalizeCode(input.code),
    name: input.name.trim(),
    type,
    lotKind: input.lotKind,
    description: input.description.trim(),
    features: trimAll(input.features ?? []),
    targetAudience: trimAll(input.targetAudience ?? []),
    credits: input.credits,
    sessionMinutes: input.sessionMinutes,
    allowedBlockMinutes: normalizeBlocks(blocks),
    validityDays: input.validityDays,
    price: { amount: input.price.amount, currency: input.price.currency.trim() },
    billingCycle: input.billingCycle ?? null,
    badge: trimOrNull(input.badge ?? null),
    maxPurchasesPerClient: input.maxPurchasesPerClient ?? null,
    priority: input.priority ?? defaultPriority(type),
    lateCancelConsumes: input.lateCancelConsumes ?? true,
    purchasable: input.purchasable ?? defaultPurchasable(type),
  };
}

/** The package as it would be after the update (null on a required field is refused before this). */
function mergeDraft(pkg: Package, input: UpdatePackageInput): PackageDraft {
  const pick = <K extends keyof UpdatePackageInput, T>(key: K, current: T, map: (value: NonNullable<UpdatePackageInput[K]>) => T): T => {
    const value = input[key];
    return value === undefined || value === null ? current : map(value);
  };
  const same = <T>(value: T): T => value;

  const sessionMinutes = input.sessionMinutes ?? pkg.sessionMinutes;
  let blocks: number[];
  let minutes = sessionMinutes;
  if (input.allowedBlockMinutes != null) {
    blocks = normalizeBlocks(input.allowedBlockMinutes);
    // TIME: sessionMinutes is the smallest block; it follows the blocks unless given.
    if (pkg.lotKind === CreditLotKind.TIME && input.sessionMinutes == null && blocks.length > 0) minutes = Math.min(...blocks);
  } else if (pkg.lotKind === CreditLotKind.SESSION && sameList(pkg.allowedBlockMinutes, [pkg.sessionMinutes])) {
    // SESSION with the default blocks: they follow sessionMinutes.
    blocks = [sessionMinutes];
  } else {
    blocks = [...pkg.allowedBlockMinutes];
  }

  return {
    code: pkg.code,
    type: pkg.type,
    lotKind: pkg.lotKind,
    name: pick('name', pkg.name, (v) => v.trim()),
    description: pick('description', pkg.description, (v) => v.trim()),
    features: pick('features', [...pkg.features], trimAll),
    targetAudience: pick('targetAudience', [...pkg.targetAudience], trimAll),
    credits: pick('credits', pkg.credits, same),
    sessionMinutes: minutes,
    allowedBlockMinutes: blocks,
    validityDays: pick('validityDays', pkg.validityDays, same),
    price: pick('price', { amount: pkg.price.amount, currency: pkg.price.currency }, (p) => ({ amount: p.amount, currency: p.currency.trim() })),
    // Nullable on the package: null clears them, left out keeps them.
    billingCycle: input.billingCycle === undefined ? pkg.billingCycle : input.billingCycle,
    badge: input.badge === undefined ? pkg.badge : trimOrNull(input.badge),
    maxPurchasesPerClient: input.maxPurchasesPerClient === undefined ? pkg.maxPurchasesPerClient : input.maxPurchasesPerClient,
    displayOrder: pick('displayOrder', pkg.displayOrder, same),
    priority: pick('priority', pkg.priority, same),
    lateCancelConsumes: pick('lateCancelConsumes', pkg.lateCancelConsumes, same),
    purchasable: pick('purchasable', pkg.purchasable, same),
  };
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
