// The navigation's counts (unread notifications, what waits on my desk), asked for after the page is shown:
// no page counts them. A link with data-count names a URL answering {"shown": "3"}; nothing is shown for "0".
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-count]").forEach((link) => {
    fetch(link.dataset.count, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data || !data.shown || data.shown === "0") return;
        const badge = document.createElement("span");
        badge.className = "nav__count";
        badge.textContent = data.shown;
        const spoken = document.createElement("span");
        spoken.className = "visually-hidden";
        spoken.textContent = link.dataset.countWords || "";
        link.append(" ", badge, spoken);
      })
      .catch(() => {});
  });
});
