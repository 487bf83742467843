/**
 * The sort of a list page's table (conferences, registrations): the column it is sorted by and
 * the direction. A click on the sorted column turns it round; another column sorts ascending
 * when it reads best so (names, states, first times), else the largest first.
 */
export interface SortColumn<K extends string> {
  key: K;
  label: string;
  num?: boolean;
  title?: string;
}

export class ListSort<K extends string> {
  key: K;
  desc = $state(false);
  private readonly ascendingFirst: readonly K[];
  constructor(key: K, ascendingFirst: readonly K[]) {
    this.key = $state(key);
    this.ascendingFirst = ascendingFirst;
  }
  by(k: K): void {
    if (this.key === k) this.desc = !this.desc;
    else (this.key = k), (this.desc = !this.ascendingFirst.includes(k));
  }
}
