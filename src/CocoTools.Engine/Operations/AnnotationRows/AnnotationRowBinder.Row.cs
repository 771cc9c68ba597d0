using System.Collections.Generic;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Tabular;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    // One row with its header (values or a CSV record read in place).
    public sealed partial class AnnotationRowBinder
    {
        /// <summary>
        /// One row with its header: the cells by role, and the column names for messages. The cells are either values
        /// (PowerShell objects, hashtables) or a CSV record read in place.
        /// </summary>
        private readonly struct Row
        {
            public Row(AnnotationHeader header, IReadOnlyList<object?>? values, CsvRecord? record, RowLocation where)
            {
                Header = header;
                Values = values;
                Record = record;
                Where = where;
            }

            public AnnotationHeader Header { get; }

            public IReadOnlyList<object?>? Values { get; }

            public CsvRecord? Record { get; }

            public RowLocation Where { get; }

            public int Count => Record?.Count ?? Values!.Count;

            /// <summary>True when the role's column exists and its cell is not blank.</summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public bool Has(AnnotationColumnRole role) => HasAt(Header[role]);

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public bool HasAt(int column) =>
                column >= 0 && (Record != null ? !Record.IsBlank(column) : column < Values!.Count && !CellValues.IsEmpty(Values[column]));

            /// <summary>The role's cell, or null when the list has no such column or the cell is blank.</summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public object? Cell(AnnotationColumnRole role) => CellAt(Header[role]);

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public object? CellAt(int column) => !HasAt(column) ? null : Record != null ? Record.GetString(column) : Values![column];

            /// <summary>The role's cell as trimmed text (the cell must be there).</summary>
            public string Text(AnnotationColumnRole role) =>
                Record != null ? Record.GetTrimmedString(Header[role]) : CellValues.Text(Values![Header[role]]);

            /// <summary>The role's cell as a finite number; a missing or bad cell is an error naming the column.</summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public double Number(AnnotationColumnRole role)
            {
                int column = Header[role];
                if (Record != null && column >= 0 && column < Record.Count && Record.TryGetNumber(column, out double value))
                {
                    return value;
                }

                return CellValues.Number(Cell(role), Column(role));
            }

            /// <summary>The role's column name as the list spells it.</summary>
            public string Column(AnnotationColumnRole role) => Header[role] >= 0 ? Header.Names[Header[role]] : role.ToString();
        }
    }
}
