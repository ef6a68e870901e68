import {
  DuckDBDecimalValue,
  DuckDBMapValue,
  DuckDBTimestampTZValue,
  DuckDBTypeId,
  JsonDuckDBValueConverter,
  type DuckDBMapType,
  type DuckDBResultReader,
  type DuckDBValueConverter,
  type Json,
} from "@duckdb/node-api";

/** One value of a result, ready for JSON: lists are arrays, structs and maps objects, the rest scalars. */
export type Cell = Json;

/** Integers as numbers while a double holds them exactly, digits as text beyond (no digit lost). */
const exactInteger = (n: bigint): Cell =>
  n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : String(n);

// A decimal of up to 15 significant digits survives the round trip through a double (DBL_DIG).
const DOUBLE_DIGITS = 10n ** 15n;

/**
 * The library's JSON converter (temporal types, BLOB, UUID as DuckDB's text; lists and structs as
 * arrays and objects; NaN and Infinity as text), with the integer rule above where it gives text for
 * every BIGINT, and DuckDB's to_json forms for INTERVAL and MAP where it gives {months, days, micros}
 * and [{key, value}]. Nested values come back through this converter, so a BIGINT in a list follows
 * the same rule as one in a column.
 */
export const toCell: DuckDBValueConverter<Cell> = (value, type, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return typeof value === "bigint" ? exactInteger(value) : String(value);
    case DuckDBTypeId.DECIMAL:
      if (!(value instanceof DuckDBDecimalValue)) return String(value);
      return value.value < DOUBLE_DIGITS && value.value > -DOUBLE_DIGITS ? value.toDouble() : value.toString();
    case DuckDBTypeId.INTERVAL:
      return String(value); // "1 day 02:00:00"
    case DuckDBTypeId.MAP:
      return value instanceof DuckDBMapValue ? mapObject(value, type, converter) : String(value);
    default:
      return JsonDuckDBValueConverter(value, type, converter);
  }
};

/** {"ACCEPT": 90, "REJECT": 12}, as DuckDB's to_json; a key that is not text is keyed by its JSON. */
function mapObject(map: DuckDBMapValue, type: DuckDBMapType, converter: DuckDBValueConverter<Cell>): Cell {
  // fromEntries, not assignment: a key "__proto__" stays a key.
  return Object.fromEntries(
    map.entries.map(({ key, value }) => {
      const k = converter(key, type.keyType, converter);
      return [typeof k === "string" ? k : JSON.stringify(k), converter(value, type.valueType, converter)];
    }),
  );
}

/** Every row as cells, by column position (two columns may share a name). */
export function readCells(reader: DuckDBResultReader): Cell[][] {
  // TIMESTAMPTZ text in UTC, the session's TimeZone (duckdb-shims.ts, as Athena): the library's
  // default is the machine's zone at load time (its README, "Displaying Timezones").
  DuckDBTimestampTZValue.timezoneOffsetInMinutes = 0;
  return reader.convertRows(toCell);
}
