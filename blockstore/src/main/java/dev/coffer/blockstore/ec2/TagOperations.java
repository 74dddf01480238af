package dev.coffer.blockstore.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CreateTags and DeleteTags on volumes and snapshots (the resource kinds this API has). */
final class TagOperations {
    private final Ec2Context ctx;

    TagOperations(Ec2Context ctx) {
        this.ctx = ctx;
    }

    List<Ec2XmlNode> createTags(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        List<String> resources = resources(p);
        List<Ec2Tag> tags = p.tags("Tag", false);
        if (tags.isEmpty()) {
            throw new Ec2Exception(Ec2Error.MISSING_PARAMETER, "The request must contain the parameter Tag");
        }
        Ec2Tag.validate(tags);
        request.authorize(arns(request, resources));
        synchronized (ctx.lock) {
            checkExist(resources);
            for (String id : resources) {
                update(id, current -> {
                    Map<String, Ec2Tag> merged = new LinkedHashMap<>();
                    current.forEach(t -> merged.put(t.key(), t));
                    tags.forEach(t -> merged.put(t.key(), t));
                    List<Ec2Tag> result = List.copyOf(merged.values());
                    Ec2Tag.validate(result);
                    return result;
                });
            }
        }
        return List.of(Ec2XmlNode.bool("return", true));
    }

    /** Deletes the named tags (only where the value matches, when one is given), or every tag when none is named. */
    List<Ec2XmlNode> deleteTags(Ec2Request request) {
        Ec2Parameters p = request.parameters();
        List<String> resources = resources(p);
        List<Ec2Tag> tags = p.tags("Tag", true);
        request.authorize(arns(request, resources));
        synchronized (ctx.lock) {
            checkExist(resources);
            for (String id : resources) {
                update(id, current -> tags.isEmpty() ? List.of() : current.stream().filter(t -> tags.stream().noneMatch(
                        d -> d.key().equals(t.key()) && (d.value() == null || d.value().equals(t.value())))).toList());
            }
        }
        return List.of(Ec2XmlNode.bool("return", true));
    }

    private static List<String> resources(Ec2Parameters p) {
        List<String> ids = p.list("ResourceId");
        if (ids.isEmpty()) {
            throw new Ec2Exception(Ec2Error.MISSING_PARAMETER, "The request must contain the parameter ResourceId");
        }
        for (String id : ids) {
            if (id.startsWith("vol-")) {
                Ec2Ids.volumeId(id);
            } else if (id.startsWith("snap-")) {
                Ec2Ids.snapshotId(id);
            } else {
                throw new Ec2Exception(Ec2Error.INVALID_ID, "The ID '" + id + "' is not valid");
            }
        }
        return ids;
    }

    private static String[] arns(Ec2Request request, List<String> ids) {
        List<String> arns = new ArrayList<>();
        for (String id : ids) {
            arns.add(id.startsWith("vol-") ? request.volumeArn(id) : request.snapshotArn(id));
        }
        return arns.toArray(String[]::new);
    }

    private void checkExist(List<String> ids) {
        for (String id : ids) {
            if (id.startsWith("vol-")) {
                ctx.records.existingVolume(id);
            } else {
                ctx.records.existingSnapshot(id);
            }
        }
    }

    private void update(String id, java.util.function.UnaryOperator<List<Ec2Tag>> change) {
        if (id.startsWith("vol-")) {
            Ec2VolumeRecord v = ctx.records.existingVolume(id);
            ctx.records.put(v.withTags(change.apply(v.tags())));
        } else {
            Ec2SnapshotRecord s = ctx.records.existingSnapshot(id);
            ctx.records.put(s.withTags(change.apply(s.tags())));
        }
    }
}
