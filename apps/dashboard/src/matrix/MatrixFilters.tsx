import { useEffect, useState } from "preact/hooks";
import { HEALTH_VALUES, type MatrixFilters, namesFromInput, SYNC_VALUES } from "./filters.ts";

/** The filter bar; text fields apply on Enter or when they lose focus, the selects at once. */
export function MatrixFilterBar(props: { filters: MatrixFilters; onChange: (f: MatrixFilters) => void }) {
  const { filters } = props;
  const [selector, setSelector] = useState(filters.selector);
  const [appSets, setAppSets] = useState(filters.appSets.join(","));
  useEffect(() => setSelector(filters.selector), [filters.selector]);
  useEffect(() => setAppSets(filters.appSets.join(",")), [filters.appSets.join(",")]);

  const apply = () => props.onChange({ ...filters, selector: selector.trim(), appSets: namesFromInput(appSets) });
  return (
    <form
      class="filters"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        Cluster labels
        <input
          aria-label="Cluster labels"
          placeholder="env=prod,region in (eu,us),!legacy"
          value={selector}
          onInput={(e) => setSelector(e.currentTarget.value)}
          onBlur={apply}
          size={32}
        />
      </label>
      <label>
        ApplicationSet
        <input
          aria-label="ApplicationSet"
          placeholder="guestbook,podinfo"
          value={appSets}
          onInput={(e) => setAppSets(e.currentTarget.value)}
          onBlur={apply}
        />
      </label>
      <label>
        Sync
        <select
          aria-label="Sync"
          value={filters.sync.length === 1 ? filters.sync[0] : ""}
          onChange={(e) => {
            const v = e.currentTarget.value;
            props.onChange({ ...filters, sync: SYNC_VALUES.filter((s) => s === v) });
          }}
        >
          <option value="">any</option>
          {SYNC_VALUES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Health
        <select
          aria-label="Health"
          value={filters.health.length === 1 ? filters.health[0] : ""}
          onChange={(e) => {
            const v = e.currentTarget.value;
            props.onChange({ ...filters, health: HEALTH_VALUES.filter((h) => h === v) });
          }}
        >
          <option value="">any</option>
          {HEALTH_VALUES.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Apply</button>
    </form>
  );
}
