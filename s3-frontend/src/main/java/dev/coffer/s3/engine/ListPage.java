package dev.coffer.s3.engine;

import java.util.List;

/**
 * One page of a bucket listing. {@code nextStartAfter} is the last key or common prefix on the
 * page (null when the page is empty): passing it as {@code startAfter} continues exactly after this
 * page, so the caller can build continuation tokens and NextMarker from it.
 */
public record ListPage(List<ObjectSummary> objects, List<String> commonPrefixes, boolean truncated, String nextStartAfter) {
    public ListPage {
        objects = List.copyOf(objects);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
