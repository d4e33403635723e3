// The one table layout of the CLI's text output (list, history, runs,
// status): left-aligned columns, two spaces apart, no trailing blanks.

/**
 * Rows of cells as lines of aligned columns. `style` may wrap a cell once it
 * is padded (bold, a colour): widths are counted on the plain text, so
 * escape codes never shift a column.
 */
export function table(rows: string[][], style?: (padded: string, row: number, column: number) => string): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row, r) =>
    row
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i]!);
        return style ? style(padded, r, i) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}
