import { describe, expect, it } from 'vitest';
import {
  CONCENTRATION_UNITS,
  UNIT_DEFINITIONS,
  celsiusToKelvin,
  isConcentrationUnit,
  kelvin,
  kelvinToCelsius,
  massFraction,
  unitNeedsSolutionVolume,
} from './units.ts';

describe('branded quantities', () => {
  it('accepts physical values and rejects impossible ones', () => {
    expect(kelvin(136)).toBe(136);
    expect(() => kelvin(0)).toThrow(RangeError);
    expect(() => kelvin(Number.NaN)).toThrow(RangeError);
    expect(massFraction(0.5)).toBe(0.5);
    expect(() => massFraction(1.01)).toThrow(RangeError);
    expect(() => massFraction(-0.01)).toThrow(RangeError);
  });

  it('converts Celsius and kelvin both ways', () => {
    expect(celsiusToKelvin(-120)).toBeCloseTo(153.15, 10);
    expect(kelvinToCelsius(kelvin(273.15))).toBeCloseTo(0, 10);
  });
});

describe('concentration units', () => {
  it('recognises exactly the catalogued units', () => {
    for (const u of CONCENTRATION_UNITS) expect(isConcentrationUnit(u)).toBe(true);
    expect(isConcentrationUnit('M')).toBe(false);
    expect(isConcentrationUnit('%w/v ')).toBe(false);
  });

  it('defines every unit and marks the volume-based ones', () => {
    expect(Object.keys(UNIT_DEFINITIONS).sort()).toEqual([...CONCENTRATION_UNITS].sort());
    const volumeBased = CONCENTRATION_UNITS.filter(unitNeedsSolutionVolume).sort();
    expect(volumeBased).toEqual(['%v/v', '%w/v', 'g/L', 'mg/mL', 'mmol/L', 'mol/L'].sort());
  });
});
