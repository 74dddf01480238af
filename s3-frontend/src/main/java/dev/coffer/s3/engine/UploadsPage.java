package dev.coffer.s3.engine;

import java.util.List;

/**
 * One page of ListMultipartUploads. The next markers are those of the last upload or common prefix
 * on the page ({@code nextUploadIdMarker} is null when that was a common prefix); null when the page
 * is empty.
 */
public record UploadsPage(List<UploadRecord> uploads, List<String> commonPrefixes, boolean truncated,
                          String nextKeyMarker, String nextUploadIdMarker) {
    public UploadsPage {
        uploads = List.copyOf(uploads);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
