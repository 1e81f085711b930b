// Several reads of one list can be in flight at once: the page's first load, a filter applied or
// a change made before it answered, a live poll, "older events". Answers arrive in any order, so
// an older answer arriving last would overwrite newer data (a filtered list replaced by the
// unfiltered first load, a rotated key's list by the one from before the rotation). Every list
// page reads through one of these, so only answers still current are shown.

/**
 * replace(fetch, show): a read that supersedes every earlier one (a load, a reload, a new filter);
 *   show(value) runs only if no other replace started after it.
 * add(fetch, show): a read that adds to what is shown (live poll, next page); dropped if a
 *   replace started after it, and supersedes nothing.
 */
export function newestOnly() {
  let generation = 0;
  return {
    async replace(fetch, show) {
      const mine = ++generation;
      const value = await fetch();
      if (mine === generation) show(value);
    },
    async add(fetch, show) {
      const mine = generation;
      const value = await fetch();
      if (mine === generation) show(value);
    },
  };
}
