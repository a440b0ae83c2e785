import { z } from 'zod';

// Positions are kept to 7 decimals (about 1 cm), finer than any phone can tell. Rounding on the way in
// also turns subnormal numbers such as 5e-324 into 0: PostgreSQL refuses them as out of range for
// double precision, which answered 500 (found by fuzzing, FUZZ_SEED=993274083).
const toCentimetres = (value: number) => Math.round(value * 1e7) / 1e7 || 0;

export const latitude = z.number().min(-90).max(90).overwrite(toCentimetres);
export const longitude = z.number().min(-180).max(180).overwrite(toCentimetres);
export const queryLatitude = z.coerce.number().min(-90).max(90).overwrite(toCentimetres);
export const queryLongitude = z.coerce.number().min(-180).max(180).overwrite(toCentimetres);

/** A search radius a person would ask for: 100 m to 200 km. */
export const radiusKm = z.coerce.number().min(0.1).max(200);
