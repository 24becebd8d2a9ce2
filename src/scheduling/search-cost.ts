import type { ComplexityEstimator } from 'graphql-query-complexity';
import { daysInRange, pageSizeOf } from '../platform/graphql-limits.js';
import { MAX_SEARCH_DAYS } from './availability.service.js';

/**
 * What the searches cost against GRAPHQL_MAX_COMPLEXITY (default 5,000): their work grows with
 * the days searched times the consultants searched. A search without consultantId covers every
 * bookable consultant; it is costed as ASSUMED_CONSULTANTS of them, so that one 62-day search of
 * all still fits the default while a handful of long ones in one document do not.
 */
export const ASSUMED_CONSULTANTS = 8;
/** openSlots generates and returns every slot: the dearest per consultant-day. */
const SLOTS_PER_CONSULTANT_DAY = 10;
/** openDates and availableBetween generate slots too, but answer a date or a yes. */
const DATES_PER_CONSULTANT_DAY = 4;

interface SearchArgs {
  consultantId?: unknown;
  from?: unknown;
  to?: unknown;
}

function consultantDays(input: SearchArgs | undefined, consultants = input?.consultantId ? 1 : ASSUMED_CONSULTANTS): number {
  return consultants * daysInRange(input?.from, input?.to, MAX_SEARCH_DAYS);
}

export const openSlotsComplexity: ComplexityEstimator = ({ args, childComplexity }) => childComplexity + SLOTS_PER_CONSULTANT_DAY * consultantDays(args.input as SearchArgs | undefined);

export const openDatesComplexity: ComplexityEstimator = ({ args }) => 1 + DATES_PER_CONSULTANT_DAY * consultantDays(args.input as SearchArgs | undefined);

/** The page, as any connection; with availableBetween, every consultant is searched over the range. */
export const consultantsComplexity: ComplexityEstimator = ({ args, childComplexity }) => {
  const between = (args.filter as { availableBetween?: SearchArgs } | null | undefined)?.availableBetween;
  return 1 + pageSizeOf(args.first) * childComplexity + (between ? DATES_PER_CONSULTANT_DAY * consultantDays(between, ASSUMED_CONSULTANTS) : 0);
};
