/* SPDX-License-Identifier: MIT */
/* trust.c — may code be loaded from this path? The rule of ssh's StrictModes, applied to plugins and
 * the formula cache: the file and every folder above it, up to /, belong to this user or to root, and
 * nobody else can write them. Otherwise another local user could put a library there, or rename
 * one into place, and gdlab would run its constructor with this user's rights.
 *
 * Two exceptions. A folder owned by root with the sticky bit (/tmp, /var/tmp) may be writable by
 * everyone, because the sticky bit lets nobody but an entry's owner rename or remove the entry; what
 * lies below it must still pass the rule itself. A sticky folder owned by someone else gets no
 * exception: its owner can still replace anything in it. And an entry may be writable by its group when
 * that group is this user's private group: the user's primary group, with no other member listed. That
 * is what a umask of 002 gives on systems with a group per user (Debian's ssh allows the same).
 *
 * Checked on the canonical path (realpath) one component at a time with lstat, so no link is followed
 * here; since each folder is writable only by this user or root, nobody else can change what the
 * path names between this check and the open that follows. ACLs are not looked at. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

/* The name of a user, or "uid N" when the system knows none. */
static void user_name(uid_t uid, char *buf, size_t len)
{
    struct passwd pw, *found = NULL;
    char space[1024];
    if (getpwuid_r(uid, &pw, space, sizeof space, &found) == 0 && found)
        snprintf(buf, len, "'%s' (uid %u)", found->pw_name, (unsigned)uid);
    else
        snprintf(buf, len, "uid %u", (unsigned)uid);
}

/* Is gid the user's private group: the primary group of uid, with no member but uid listed? */
static int private_group(gid_t gid, uid_t uid)
{
    struct passwd pw, *me = NULL;
    struct group gr, *found = NULL;
    char pw_space[1024], gr_space[4096];
    if (getpwuid_r(uid, &pw, pw_space, sizeof pw_space, &me) != 0 || !me || me->pw_gid != gid) return 0;
    if (getgrgid_r(gid, &gr, gr_space, sizeof gr_space, &found) != 0 || !found) return 0;
    for (char **m = found->gr_mem; *m; m++)
        if (strcmp(*m, me->pw_name) != 0) return 0;
    return 1;
}

/* The name of a group, or "gid N". */
static void group_name(gid_t gid, char *buf, size_t len)
{
    struct group gr, *found = NULL;
    char space[4096];
    if (getgrgid_r(gid, &gr, space, sizeof space, &found) == 0 && found)
        snprintf(buf, len, "'%s'", found->gr_name);
    else
        snprintf(buf, len, "gid %u", (unsigned)gid);
}

/* One entry of the path; what it is ("folder", "file") for the message. */
static int trust_entry(const char *path, const struct stat *st, char *err, size_t errlen)
{
    const char *what = S_ISDIR(st->st_mode) ? "folder" : "file";
    const uid_t me = geteuid();
    if (st->st_uid != me && st->st_uid != 0) {
        char owner[96], self[96];
        user_name(st->st_uid, owner, sizeof owner);
        user_name(me, self, sizeof self);
        snprintf(err, errlen,
                 "%s '%s' is owned by %s, and only what belongs to you (%s) or to root is trusted: its owner "
                 "could put any code there; fix: move the plugin into a folder of yours, or chown it to yourself",
                 what, path, owner, self);
        return -1;
    }
    if (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) && st->st_uid == 0) return 0;
    const int by_group = (st->st_mode & S_IWGRP) && !private_group(st->st_gid, me), by_all = st->st_mode & S_IWOTH;
    if (by_group || by_all) {
        char group[96], who[160];
        group_name(st->st_gid, group, sizeof group);
        if (by_group) snprintf(who, sizeof who, "its group %s%s", group, by_all ? " and everyone" : "");
        else snprintf(who, sizeof who, "everyone");
        snprintf(err, errlen,
                 "%s '%s' is writable by %s (mode %04o), so another user could replace the code; fix: chmod go-w '%s'",
                 what, path, who, (unsigned)(st->st_mode & 07777), path);
        return -1;
    }
    return 0;
}

int gdlab_trust_path(const char *canonical, char *err, size_t errlen)
{
    char prefix[4096];
    const size_t n = strlen(canonical);
    if (canonical[0] != '/' || n >= sizeof prefix) {
        snprintf(err, errlen, "'%s' is not an absolute path of at most %zu bytes", canonical, sizeof prefix - 1);
        return -1;
    }
    /* "/", then "/a", "/a/b", ... up to the whole path */
    for (size_t end = 1; end <= n; end++) {
        if (end > 1 && end < n && canonical[end] != '/') continue;
        if (end > 1 && canonical[end - 1] == '/') continue; /* a trailing slash */
        memcpy(prefix, canonical, end);
        prefix[end] = '\0';
        struct stat st;
        if (lstat(prefix, &st) != 0) {
            snprintf(err, errlen, "'%s': %s", prefix, strerror(errno));
            return -1;
        }
        if (S_ISLNK(st.st_mode)) { /* realpath gave a path without links: someone changed it since */
            snprintf(err, errlen, "'%s' became a symbolic link while it was being checked", prefix);
            return -1;
        }
        if (trust_entry(prefix, &st, err, errlen)) return -1;
    }
    return 0;
}
