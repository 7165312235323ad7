/**
 * Further buildings for a larger estate than the demo's (the `extraBuildings` option): what each
 * is (name, use, size, meter make), not how its meters are made (estate.ts adds them, after every
 * register of the demo estate, so that the demo's ids never move). Deterministic: the same count
 * gives the same buildings, and a larger count only adds buildings after them.
 */

import type { MeteredBuilding } from './estate';
import { FamilyName, hash32 } from './profiles';

type Use = 'teaching' | 'laboratory' | 'office' | 'residence' | 'catering';

interface UseProfile {
  electricity: FamilyName;
  /** Average kWh per half-hour, smallest and largest. */
  kwh: readonly [number, number];
  gas: FamilyName;
  gasM3: readonly [number, number];
  water: FamilyName;
  waterM3: readonly [number, number];
}

/** Average sizes like those of the demo estate's buildings of the same use (kWh and m3 per half-hour). */
const USES: Readonly<Record<Use, UseProfile>> = {
  teaching: { electricity: 'academic', kwh: [30, 95], gas: 'gasHeating', gasM3: [3, 9], water: 'waterOccupancy', waterM3: [0.2, 0.7] },
  laboratory: { electricity: 'laboratory', kwh: [80, 180], gas: 'gasHeating', gasM3: [8, 20], water: 'waterOccupancy', waterM3: [0.8, 2.6] },
  office: { electricity: 'office', kwh: [12, 45], gas: 'gasHeating', gasM3: [2, 6], water: 'waterOccupancy', waterM3: [0.1, 0.4] },
  residence: { electricity: 'residence', kwh: [25, 60], gas: 'gasHeating', gasM3: [8, 16], water: 'waterResidence', waterM3: [1.5, 3.2] },
  catering: { electricity: 'studentsUnion', kwh: [30, 60], gas: 'gasCatering', gasM3: [5, 9], water: 'waterOccupancy', waterM3: [0.5, 1.1] },
};

/** In the order they are added: uses mixed, so that a few extra buildings are already varied. */
const EXTRA_BUILDINGS: readonly (readonly [string, Use])[] = [
  ['Physics Building', 'teaching'],
  ['Biosciences Building', 'laboratory'],
  ['Ashgrove Hall', 'residence'],
  ['Registry', 'office'],
  ['Refectory', 'catering'],
  ['Mathematics Building', 'teaching'],
  ['Computer Science Building', 'laboratory'],
  ['Elmwood Hall', 'residence'],
  ['Innovation Centre', 'office'],
  ['Business School', 'teaching'],
  ['Hazel Court', 'residence'],
  ['Earth Sciences Building', 'laboratory'],
  ['Law School', 'teaching'],
  ['Staff Club', 'catering'],
  ['Finance Office', 'office'],
  ['Willow Court', 'residence'],
  ['Pharmacy Building', 'laboratory'],
  ['Geography Building', 'teaching'],
  ['Conference Centre', 'office'],
  ['Rowan Hall', 'residence'],
  ['Psychology Building', 'teaching'],
  ['Materials Science Building', 'laboratory'],
  ['Campus Café', 'catering'],
  ['Maple Court', 'residence'],
  ['Music Centre', 'teaching'],
  ['Careers Centre', 'office'],
  ['Dental School', 'laboratory'],
  ['Cedar Hall', 'residence'],
  ['Arts Tower', 'teaching'],
  ['Security Lodge', 'office'],
  ['Veterinary School', 'laboratory'],
  ['Larch Court', 'residence'],
  ['Humanities Building', 'teaching'],
  ['Food Court', 'catering'],
  ['Print Unit', 'office'],
  ['Languages Centre', 'teaching'],
  ['Nanotechnology Centre', 'laboratory'],
  ['Architecture Studios', 'teaching'],
  ['Alumni House', 'office'],
  ['Education Building', 'teaching'],
];

/** How many further buildings there can be: one per name above. */
export const MAX_EXTRA_BUILDINGS = EXTRA_BUILDINGS.length;

const METER_TYPES = ['Schneider Electric PM5560', 'Elster A1700', 'Landis+Gyr E650', 'Socomec Diris A40'];

/** A fixed point in [low, high], rounded to `decimals`, chosen by the building's number and `salt`. */
function sized(range: readonly [number, number], n: number, salt: number, decimals: number): number {
  const share = (hash32(7000 + n, salt) % 1000) / 999;
  const factor = 10 ** decimals;
  return Math.round((range[0] + share * (range[1] - range[0])) * factor) / factor;
}

/** The first `count` further buildings, coded X01, X02, ... */
export function extraBuildings(count: number): MeteredBuilding[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_EXTRA_BUILDINGS) {
    throw new RangeError(`extraBuildings must be a whole number from 0 to ${MAX_EXTRA_BUILDINGS} (got ${count}).`);
  }
  return EXTRA_BUILDINGS.slice(0, count).map(([name, use], n) => {
    const profile = USES[use];
    const kwhPerHalfHour = sized(profile.kwh, n, 1, 1);
    // About one in four has solar PV on its roof, exporting some 7% of its use on average.
    const pvPerHalfHour = hash32(7000 + n, 2) % 4 === 0 ? Math.round(kwhPerHalfHour * 0.7) / 10 : undefined;
    return {
      code: `X${String(n + 1).padStart(2, '0')}`,
      name,
      electricity: {
        family: profile.electricity,
        kwhPerHalfHour,
        meterType: METER_TYPES[hash32(7000 + n, 3) % METER_TYPES.length],
        ...(pvPerHalfHour === undefined ? {} : { pvPerHalfHour }),
        // As in the demo estate: three phases metered on the large supplies.
        ...(kwhPerHalfHour > 100 ? { allPhases: true } : {}),
      },
      gas: { family: profile.gas, m3PerHalfHour: sized(profile.gasM3, n, 4, 2) },
      water: { family: profile.water, m3PerHalfHour: sized(profile.waterM3, n, 5, 2) },
    };
  });
}
