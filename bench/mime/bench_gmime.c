/* GMime 3 peer: parse each mail, walk every part, decode each leaf's content (as duegate does)
 * into a null stream. One file at a time. Prints mails/s and MB/s. */
#include <gmime/gmime.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t attachments;

static void visit(GMimeObject *parent, GMimeObject *part, gpointer data) {
    (void)parent; (void)data;
    if (GMIME_IS_MESSAGE_PART(part)) {
        GMimeMessage *m = g_mime_message_part_get_message((GMimeMessagePart *)part);
        if (m) g_mime_message_foreach(m, visit, NULL);
        return;
    }
    if (GMIME_IS_PART(part)) {
        GMimeDataWrapper *w = g_mime_part_get_content((GMimePart *)part);
        if (w) {
            GMimeStream *null = g_mime_stream_null_new();
            g_mime_data_wrapper_write_to_stream(w, null);
            g_object_unref(null);
        }
        if (g_mime_part_get_filename((GMimePart *)part)) attachments++;
    }
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: bench_gmime DIR\n"); return 2; }
    g_mime_init();
    DIR *d = opendir(argv[1]);
    struct dirent *e;
    size_t mails = 0, bytes = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char path[4096];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        GMimeStream *s = g_mime_stream_fs_open(path, O_RDONLY, 0644, NULL);
        if (!s) continue;
        bytes += (size_t)g_mime_stream_length(s);
        GMimeParser *p = g_mime_parser_new_with_stream(s);
        GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
        if (m) {
            g_mime_message_foreach(m, visit, NULL);
            g_object_unref(m);
        }
        g_object_unref(p);
        g_object_unref(s);
        mails++;
    }
    closedir(d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("gmime mails=%zu attachments=%zu seconds=%.3f mails_per_s=%.0f MB_per_s=%.1f\n", mails, attachments, secs,
           mails / secs, bytes / secs / 1e6);
    return 0;
}
