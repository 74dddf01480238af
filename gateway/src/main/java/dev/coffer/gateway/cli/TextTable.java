package dev.coffer.gateway.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell, two spaces apart, the last one unpadded: for {@code coffer admin} lists. */
final class TextTable {
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headings) {
        rows.add(List.of(headings));
    }

    TextTable row(String... cells) {
        if (cells.length != rows.getFirst().size()) {
            throw new IllegalArgumentException("a row needs " + rows.getFirst().size() + " cells, has " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    void print(PrintWriter out) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row.get(c));
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - row.get(c).length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** {@code name: value} lines with the values aligned; pairs alternate name, value. */
    static void printFields(PrintWriter out, String... nameValuePairs) {
        int width = 0;
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            width = Math.max(width, nameValuePairs[i].length());
        }
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            String label = nameValuePairs[i] + ":";
            out.println(label + " ".repeat(width + 2 - label.length()) + nameValuePairs[i + 1]);
        }
    }
}
