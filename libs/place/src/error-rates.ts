/**
 * How often each agency record departs from the truth. Defaults are a few percent per field, in line with
 * published data-quality audits of UK local authority and NHS demographic data; every rate is a
 * probability per record (or per record that has the field).
 */
export interface ErrorRates {
  /** A typing error in the given name (deleted, doubled, swapped or replaced letter). */
  givenTypo: number;
  familyTypo: number;
  /** A diminutive instead of the given name (Bill for William), where one exists. */
  nickname: number;
  /** Given and family names recorded the wrong way round. */
  nameSwap: number;
  /** Day and month of birth swapped (only when both are 12 or less). */
  dobDayMonthSwap: number;
  /** One digit of the date of birth wrong. */
  dobTypo: number;
  dobMissing: number;
  /** An identifier the agency would normally hold is missing. */
  identifierMissing: number;
  /** An NHS number keyed with a wrong check digit. */
  nhsWrongCheckDigit: number;
  /** The household's previous address, when it moved. */
  oldAddress: number;
  postcodeMalformed: number;
  /** A married adult still recorded under the birth surname. */
  maidenName: number;
  /** A child recorded under the other parent's surname. */
  childOtherSurname: number;
  /** The same person recorded twice by one agency. */
  duplicateWithinAgency: number;
}

export const DEFAULT_ERROR_RATES: Readonly<ErrorRates> = Object.freeze({
  givenTypo: 0.03,
  familyTypo: 0.03,
  nickname: 0.05,
  nameSwap: 0.01,
  dobDayMonthSwap: 0.015,
  dobTypo: 0.01,
  dobMissing: 0.01,
  identifierMissing: 0.1,
  nhsWrongCheckDigit: 0.01,
  oldAddress: 0.3,
  postcodeMalformed: 0.01,
  maidenName: 0.3,
  childOtherSurname: 0.05,
  duplicateWithinAgency: 0.02,
});
