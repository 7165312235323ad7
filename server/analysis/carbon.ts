/**
 * Carbon: kgCO2e per kWh by calendar year and fuel. The default table holds the UK Government GHG
 * Conversion Factors for Company Reporting (DESNZ, formerly BEIS): UK electricity generation
 * (scope 2) and natural gas by gross calorific value (scope 1), as published for each year. An
 * operator replaces it with the setting CARBON_FACTORS_FILE (a JSON file of the same shape). A
 * year outside the table takes the nearest year's factor (the newest, for the current year
 * before its factors are published); the answer's docs say so. Which figure was checked against
 * which publication, and which could not be (natural gas 2019, 2020, 2024): the table in
 * docs/monitoring-and-targeting.md.
 */
import * as fs from 'node:fs';

export const FUELS = ['electricity', 'naturalGas'] as const;
export type Fuel = (typeof FUELS)[number];

/** fuel → year → kgCO2e per kWh. */
export type EmissionFactors = Record<Fuel, Record<string, number>>;

export const DEFAULT_EMISSION_FACTORS: EmissionFactors = {
  electricity: { 2019: 0.2556, 2020: 0.23314, 2021: 0.21233, 2022: 0.19338, 2023: 0.20707, 2024: 0.20705 },
  naturalGas: { 2019: 0.18385, 2020: 0.18387, 2021: 0.18316, 2022: 0.18254, 2023: 0.18293, 2024: 0.1829 },
};

export class EmissionFactorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmissionFactorsError';
  }
}

/** Reads and checks an operator's table: every fuel, years as four digits, factors ≥ 0. */
export function readEmissionFactors(file: string): EmissionFactors {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EmissionFactorsError(`CARBON_FACTORS_FILE ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  const table = parsed as Record<string, unknown>;
  for (const fuel of FUELS) {
    const years = table?.[fuel];
    if (typeof years !== 'object' || years === null || Object.keys(years).length === 0) {
      throw new EmissionFactorsError(
        `CARBON_FACTORS_FILE ${file} has no factors for ${fuel}; write {"electricity": {"2024": 0.20705}, "naturalGas": {"2024": 0.1829}}`,
      );
    }
    for (const [year, factor] of Object.entries(years)) {
      if (!/^\d{4}$/.test(year) || typeof factor !== 'number' || !(factor >= 0)) {
        throw new EmissionFactorsError(`CARBON_FACTORS_FILE ${file}: ${fuel} ${year} = ${JSON.stringify(factor)} is not a year and a kgCO2e/kWh factor ≥ 0`);
      }
    }
  }
  return table as EmissionFactors;
}

/** The factor for a fuel in a calendar year: that year's, else the nearest year's in the table. */
export function emissionFactor(factors: EmissionFactors, fuel: Fuel, year: number): number {
  const years = Object.keys(factors[fuel]).map(Number);
  const nearest = years.reduce((best, y) =>
    Math.abs(y - year) < Math.abs(best - year) || (Math.abs(y - year) === Math.abs(best - year) && y > best) ? y : best,
  );
  return factors[fuel][String(nearest)];
}

const factorsByFile = new Map<string, EmissionFactors>();

/** The operator's table (CARBON_FACTORS_FILE), read once on first use, or the built-in one. */
export function emissionFactorsOf(file: string | undefined): EmissionFactors {
  if (file === undefined) return DEFAULT_EMISSION_FACTORS;
  let factors = factorsByFile.get(file);
  if (factors === undefined) {
    factors = readEmissionFactors(file);
    factorsByFile.set(file, factors);
  }
  return factors;
}
