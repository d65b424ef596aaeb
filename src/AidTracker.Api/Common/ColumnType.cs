namespace AidTracker.Api.Common;

/// <summary>A field's type as exports write it (CSV quoting, the Parquet schema) and the codebook names it.</summary>
public enum ColumnType { Integer, Decimal, Text, Date, Timestamp, Boolean }
